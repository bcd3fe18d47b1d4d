import assert from 'node:assert/strict';
import { parseDependencies, removableModules } from '../../../src/modules/system/selinuxDeps.js';

// Edges as the dependency probe printed them on a Debian 12 lab host (selinux-policy-default):
// USER PROVIDER, for references outside (optional …) blocks.
const EDGES = 'awstats apache\nawstats base\ncollectd apache\nwebadm apache\nnx ssh\nrssh ssh\ndkim milter\n';

describe('selinux_auto: module dependencies', () => {
  it('reads USER PROVIDER lines into provider → users', () => {
    assert.deepEqual([...(parseDependencies(EDGES).get('apache') ?? [])], ['awstats', 'collectd', 'webadm']);
  });
  it('keeps a candidate that a staying, enabled module uses; removes it with its users when they go too', () => {
    const users = parseDependencies(EDGES);
    const loaded = new Set(['apache', 'awstats', 'collectd', 'webadm', 'milter', 'dkim', 'base']);
    const a = removableModules(['apache', 'awstats', 'milter'], loaded, users);
    assert.deepEqual(a.removed, ['awstats']);
    assert.deepEqual([...a.keptFor], [['apache', ['collectd', 'webadm']], ['milter', ['dkim']]]);
    const b = removableModules(['milter', 'dkim'], loaded, users);
    assert.deepEqual(b.removed, ['dkim', 'milter'], 'both in one transaction');
  });
  it('a disabled user does not hold its provider; keeping one module keeps what it uses (to a fixpoint)', () => {
    const users = parseDependencies('a b\nb c\n');
    assert.deepEqual(removableModules(['b', 'c'], new Set(['b', 'c']), users).removed, ['b', 'c'], 'a is not loaded');
    const kept = removableModules(['b', 'c'], new Set(['a', 'b', 'c']), users);
    assert.deepEqual(kept.removed, []);
    assert.deepEqual([...kept.keptFor.keys()].sort(), ['b', 'c']);
  });
});
