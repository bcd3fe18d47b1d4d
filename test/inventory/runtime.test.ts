import assert from 'node:assert/strict';
import { loadInventory } from '../../src/inventory/index.js';
import { runCli } from '../helpers/runCli.js';
import { fixture } from './helpers.js';

describe('inventory runtime additions', () => {
  it('add_host creates a host in new groups under all, with vars, leaving ungrouped', async () => {
    const inv = await loadInventory([fixture('patterns.yml')]);
    inv.addHost('n1', ['fresh'], { ansible_host: '10.0.0.9' });
    assert.equal(inv.hasHost('n1'), true);
    assert.deepEqual(inv.select('fresh'), ['n1']);
    assert.equal(inv.hostVars('n1').ansible_host, '10.0.0.9');
    assert.ok(inv.select('all').includes('n1'));
    inv.addHost('n2');
    assert.deepEqual(inv.groupsMap().ungrouped, ['h0', 'n2']);
    inv.addHostToGroup('n2', 'fresh');
    assert.deepEqual(inv.groupsMap().ungrouped, ['h0']);
    assert.deepEqual(inv.groupsOf('n2'), ['fresh']);
  });

  it('group_by adds a group with parents and hosts inherit the parent vars', async () => {
    const inv = await loadInventory([fixture('equiv/hosts.yml')]);
    inv.addGroup('os_debian', ['linux']);
    inv.addHostToGroup('lone', 'os_debian');
    assert.deepEqual(inv.groupsOf('lone'), ['linux', 'os_debian']);
    assert.deepEqual(inv.select('linux'), ['lone']);
    assert.deepEqual(inv.groupsMap().ungrouped, []);
    inv.addGroup('web', ['prod']); // existing group, existing parent: no change
    assert.deepEqual(inv.select('prod').length, 7);
  });
});

describe('kelpie inventory command', () => {
  it('prints --list JSON in ansible-inventory shape', async () => {
    const { code, out } = await runCli(['inventory', '-i', fixture('dir'), '--list']);
    assert.equal(code, 0);
    const list = JSON.parse(out);
    assert.deepEqual(Object.keys(list), ['_meta', 'all', 'db', 'prod', 'web']);
    assert.deepEqual(list.all, { children: ['ungrouped', 'prod'] });
    assert.deepEqual(list._meta.hostvars.w1, { from_dir: true });
  });

  it('prints --graph for a group and --host vars', async () => {
    const g = await runCli(['inventory', '-i', fixture('dir'), '--graph', 'prod']);
    assert.equal(g.out, '@prod:\n  |--@web:\n  |  |--w1\n  |  |--w2\n  |--@db:\n  |  |--d1\n');
    const h = await runCli(['inventory', '-i', fixture('precedence/inv'), '--host', 'w1', '--playbook-dir', fixture('precedence/play')]);
    assert.equal(JSON.parse(h.out).h, 'pb_hv');
  });

  it('exits 5 with a located message on bad input, and prints help', async () => {
    const bad = await runCli(['inventory', '-i', fixture('errors/typo-children.yml'), '--list']);
    assert.equal(bad.code, 5);
    assert.match(bad.err, /typo-children\.yml:4:7: .*did you mean 'children'/);
    const help = await runCli(['inventory', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--graph/);
    assert.equal((await runCli(['inventory', '-i', fixture('dir'), '--graph', 'nosuch'])).code, 5);
  });
});
