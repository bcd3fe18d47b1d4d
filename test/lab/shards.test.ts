import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../../src/output/record.js';
import { useLab } from '../helpers/labHarness.js';
import { perHost, sortedStats } from '../helpers/reportShape.js';
import { runCli } from '../helpers/runCli.js';

const rollout = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab/rollout.yaml');

describe('lab: --shard k/n over 20 hosts, as a CI matrix would run it', function () {
  this.timeout(600_000);
  const h = useLab('shards', 20);

  it('4 shards, run at the same time and merged, give the per-host results and recap of one run', async () => {
    const lab = h.lab();
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-shards-'));
    const broken = lab.hosts[7]!.name;
    // the single run and the sharded run write to different directories on the same fresh hosts
    const run = (root: string, extra: string[]) => runCli(['playbook', rollout, '-i', lab.inventoryFile, '-e', `root=/opt/${root}`, '-e', `broken=${broken}`, ...extra]);
    const one = await run('whole', ['--json', join(dir, 'whole.json')]);
    assert.equal(one.code, 2, one.err);
    const shards = await Promise.all([1, 2, 3, 4].map((k) => run('sharded', ['--shard', `${k}/4`, '--json', join(dir, `shard${k}.json`), '--report', `junit=${join(dir, `shard${k}.xml`)}`])));
    assert.deepEqual(shards.map((s) => s.code).sort(), [0, 0, 0, 2]);
    const reports = [1, 2, 3, 4].map((k) => JSON.parse(readFileSync(join(dir, `shard${k}.json`), 'utf8')) as RunReport);
    const seen = reports.flatMap((r) => Object.keys(r.stats));
    assert.equal(seen.length, 20, 'every host ran in exactly one shard');
    assert.equal(new Set(seen).size, 20);
    for (const r of reports) assert.deepEqual(r.plays.filter((p) => p.name === 'roll out the motd').map((p) => p.hosts.length), [2, 2, 1], 'serial: 2 within a shard of 5');
    const merged = await runCli(['report', 'merge', ...[1, 2, 3, 4].map((k) => `shard${k}.json`), '--json', 'merged.json', '--report', 'junit=merged.xml'], { cwd: dir });
    assert.equal(merged.code, one.code);
    const whole = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8')) as RunReport;
    const joined = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as RunReport;
    assert.deepEqual(perHost(joined), perHost(whole));
    assert.deepEqual(sortedStats(joined), sortedStats(whole));
    assert.equal(joined.stats[broken]!.failed, 1);
    assert.equal(Object.values(joined.stats).reduce((n, s) => n + s.changed, 0), 20 * 3, 'three changes on every host (directory, motd, release line), the broken one included');
  });
});
