import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShard, shardHosts } from '../../src/cli/shard.js';
import type { RunReport } from '../../src/output/record.js';
import { runCli } from '../helpers/runCli.js';

describe('--shard k/n', () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);

  it('every host in exactly one shard, shards within one host of each other, whatever the input order', () => {
    const shards = [1, 2, 3].map((k) => shardHosts(hosts, { index: k, count: 3 }));
    assert.deepEqual(shards.flat().sort(), [...hosts].sort());
    assert.deepEqual(shards.map((s) => s.length), [7, 7, 6]);
    assert.deepEqual(shardHosts([...hosts].reverse(), { index: 2, count: 3 }), shards[1]);
  });

  it('k/n is checked: 0/4, 5/4 and x are bad options', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', 'x', '1/0']) assert.throws(() => parseShard(bad), /--shard must be k\/n/);
  });

  it('a sharded run selects only its hosts in every play, and serial batches are cut within the shard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-shard-'));
    writeFileSync(join(dir, 'inv.yaml'), `all:\n  vars: { ansible_connection: local }\n  children:\n    web:\n      hosts: { ${hosts.map((h) => `${h}: {}`).join(', ')} }\n`);
    writeFileSync(join(dir, 'pb.yaml'), '- hosts: web\n  gather_facts: false\n  serial: 3\n  tasks: [{ debug: { msg: hi } }]\n- hosts: all\n  gather_facts: false\n  tasks: [{ debug: { msg: again } }]\n');
    const r = await runCli(['playbook', join(dir, 'pb.yaml'), '-i', join(dir, 'inv.yaml'), '--shard', '2/4', '--json', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as RunReport;
    const mine = shardHosts(hosts, { index: 2, count: 4 });
    assert.deepEqual(mine, ['web02', 'web06', 'web10', 'web14', 'web18']);
    assert.deepEqual(report.plays.map((p) => p.hosts), [mine.slice(0, 3), mine.slice(3), mine]);
    assert.deepEqual(Object.keys(report.stats).sort(), mine);
    assert.equal(report.shard, '2/4');
  });
});
