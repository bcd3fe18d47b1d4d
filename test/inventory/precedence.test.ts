import assert from 'node:assert/strict';
import { loadInventory } from '../../src/inventory/index.js';
import { fixture } from './helpers.js';

// Expected values were checked against `ansible-inventory --list --playbook-dir` (ansible-core 2.14).
describe('inventory variable precedence', () => {
  const inv = () => loadInventory([fixture('precedence/inv')]);

  it('orders inventory vars, group_vars and host_vars like Ansible', async () => {
    const v = (await inv()).hostVars('w1', fixture('precedence/play'));
    assert.equal(v.a, 'inv_all'); // only the all group sets it
    assert.equal(v.b, 'inv_web'); // child group over all
    assert.equal(v.c, 'pb_gv_all'); // playbook group_vars/all over inventory group_vars/all over group vars
    assert.equal(v.d, 'gv_web_20'); // group_vars/web/ files merge in lexical order
    assert.equal(v.e, 'inv_host'); // host over group
    assert.equal(v.f, 'inv_host'); // inventory host vars over group_vars files
    assert.equal(v.g, 'hv'); // host_vars/ over inventory host vars
    assert.equal(v.h, 'pb_hv'); // playbook host_vars/ over inventory host_vars/
  });

  it('leaves playbook vars files out without a playbook dir', async () => {
    const v = (await inv()).hostVars('w1');
    assert.equal(v.c, 'gv_all');
    assert.equal(v.h, 'inv_host');
  });

  it('lets deeper groups win, then ansible_group_priority, then the later name', async () => {
    const i = await inv();
    assert.equal(i.hostVars('w1').depth, 'web'); // web (depth 2) over parent (depth 1)
    assert.equal(i.hostVars('w1').prio, 'zeta'); // alpha and zeta at depth 1: later name wins
    assert.equal(i.hostVars('w2').prio, 'loud'); // priority 10 beats name order
    assert.equal('ansible_group_priority' in i.hostVars('w2'), false);
  });

  it('reports group_names sorted with parents, and the groups map with descendants', async () => {
    const i = await inv();
    assert.deepEqual(i.groupsOf('w1'), ['alpha', 'parent', 'web', 'zeta']);
    const groups = i.groupsMap();
    assert.deepEqual(groups.parent, ['w1', 'w2']);
    assert.deepEqual(groups.all, ['w1', 'w2']);
    assert.deepEqual(groups.ungrouped, []);
  });

  it('gives the implicit localhost the all-group vars and a local connection', async () => {
    const i = await inv();
    assert.equal(i.hasHost('localhost'), false);
    const v = i.hostVars('localhost');
    assert.equal(v.ansible_connection, 'local');
    assert.equal(v.c, 'gv_all');
    assert.equal(v.b, 'inv_all');
    assert.throws(() => i.hostVars('w9'), /not in the inventory/);
  });
});
