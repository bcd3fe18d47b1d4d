import assert from 'node:assert/strict';
import packageFacts from '../../../src/modules/commands/package_facts.js';
import setup, { filterFacts } from '../../../src/modules/commands/setup.js';
import { makeLocalContext } from '../../helpers/localContext.js';
import { resultOf, runModule } from './run.js';

describe('setup module', () => {
  it('gathers this machine\'s facts as ansible_facts, unchanged, also in check mode', async () => {
    const log: string[] = [];
    const o = await runModule(setup, {}, makeLocalContext({ commandLog: log }), { checkMode: true });
    assert.equal(o.plan.kind, 'ok');
    const facts = resultOf(o).ansible_facts as Record<string, unknown>;
    assert.equal(facts.os_family, 'Debian');
    assert.ok((facts.interfaces as string[]).includes('lo'));
    assert.equal(log.length, 1, 'one round trip');
  });

  it('honours gather_subset and filter', async () => {
    const o = await runModule(setup, { gather_subset: ['!all'], filter: ['ansible_distribution*', 'os_family'] }, makeLocalContext());
    const facts = resultOf(o).ansible_facts as Record<string, unknown>;
    assert.equal(facts.os_family, 'Debian');
    assert.equal(facts.distribution, 'Debian');
    assert.equal(facts.interfaces, undefined);
    assert.equal(facts.kernel, undefined);
  });

  it('filterFacts matches with and without the ansible_ prefix', () => {
    const f = { eth0: 1, eth1: 2, lo: 3 };
    assert.deepEqual(filterFacts(f, ['ansible_eth*']), { eth0: 1, eth1: 2 });
    assert.deepEqual(filterFacts(f, ['l?']), { lo: 3 });
    assert.deepEqual(filterFacts(f, []), f);
  });

  it('fails on an unknown gather_subset', async () => {
    const o = await runModule(setup, { gather_subset: ['hardwear'] }, makeLocalContext());
    assert.equal(o.plan.kind, 'fail');
  });
});

describe('package_facts module', () => {
  it('lists installed dpkg packages under ansible_facts.packages', async () => {
    const o = await runModule(packageFacts, { manager: 'auto' }, makeLocalContext());
    const pkgs = (resultOf(o).ansible_facts as { packages: Record<string, { name: string; version: string; source: string }[]> }).packages;
    const bash = pkgs.bash?.[0];
    assert.equal(bash?.name, 'bash');
    assert.equal(bash?.source, 'apt');
    assert.match(bash?.version ?? '', /^\d/);
  });
});
