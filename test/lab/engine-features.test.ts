/**
 * Task and play keywords on real hosts: delegate_to localhost, connection: local plays,
 * fetch and slurp over SSH, environment, task timeout, serial + max_fail_percentage, free.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../src/lab/index.js';
import { runInHost } from '../../src/lab/index.js';
import { labHostVars, resultOf, runWith, writeInventory } from '../helpers/engineLab.js';
import { useLab, type JsonReport } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-engine');

function labInventory(lab: Lab): string {
  return writeInventory(lab, lab.hosts.map((h) => ({ name: h.name, vars: labHostVars(lab, h) })));
}

function ran(report: JsonReport, task: string): string[] {
  const out: string[] = [];
  for (const p of report.plays) for (const t of p.tasks) if (t.name === task) out.push(...Object.keys(t.hosts));
  return out.sort();
}

describe('lab engine: task and play keywords on real hosts', function () {
  this.timeout(300_000);
  const h = useLab('engfeat', 4);

  it('delegate_to localhost, connection: local, fetch, slurp, environment and timeout', async () => {
    const lab = h.lab();
    const [a, b] = [lab.hosts[0]!, lab.hosts[1]!];
    const out = mkdtempSync(join(tmpdir(), 'kelpie-feat-'));
    const inv = writeInventory(lab, [a, b].map((x) => ({ name: x.name, vars: labHostVars(lab, x) })));
    const r = await runWith(inv, join(fixtures, 'features.yaml'), ['-e', `out_dir=${out}`]);
    assert.equal(r.code, 0, r.out + r.err);
    for (const host of [a, b]) {
      const n = host.name;
      assert.equal(resultOf(r.report, 'remote hostname', n)?.result.stdout, n);
      assert.equal(resultOf(r.report, 'delegated to the controller', n)?.result.stdout, hostname(), 'delegate_to ran on the controller');
      assert.equal(readFileSync(join(out, `delegated-${n}.txt`), 'utf8'), `${n} delegated\n`);
      assert.equal((await runInHost(host, ['test', '-e', join(out, `delegated-${n}.txt`)])).rc, 1, 'nothing delegated landed on the host');
      assert.equal(readFileSync(join(out, 'fetched', n, 'root/fetch-me.txt'), 'utf8'), `fetched from ${n}\n`);
      const slurp = resultOf(r.report, 'slurp it', n)?.result;
      assert.equal(Buffer.from(String(slurp?.content), 'base64').toString(), `fetched from ${n}\n`);
      assert.equal(resultOf(r.report, 'environment reaches the command', n)?.result.stdout, `hi ${n}/it's a 'quoted' $value`);
      const slept = resultOf(r.report, 'a sleeping command is killed by timeout', n);
      assert.equal(slept?.status, 'failed');
      assert.match(String(slept?.result.msg), /timed out after 2s/);
      assert.equal(resultOf(r.report, 'the host carries on after the timeout', n)?.result.stdout, 'alive');
      const sleeping = await runInHost(host, ['pgrep', '-x', 'sleep']);
      assert.equal(sleeping.stdout.trim(), '', 'the timed-out sleep was killed on the host');
      assert.equal(r.report.stats[n]?.failed, 0, 'ignored timeout does not fail the host');
    }
    assert.equal(resultOf(r.report, 'runs on the controller', 'localhost')?.status, 'changed');
    assert.equal(readFileSync(join(out, 'local-play.txt'), 'utf8'), 'local play\n');
    for (const host of [a, b]) assert.equal((await runInHost(host, ['test', '-e', join(out, 'local-play.txt')])).rc, 1);
  });

  it('serial: 2 with max_fail_percentage: 0 stops after the batch where a host failed', async () => {
    const lab = h.lab();
    const [h1, h2, h3, h4] = lab.hosts.map((x) => x.name) as [string, string, string, string];
    const r = await runWith(labInventory(lab), join(fixtures, 'serial.yaml'), ['-e', `fail_host=${h1}`]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.deepEqual(ran(r.report, 'fail on the chosen host'), [h1, h2], 'only the first batch started');
    assert.deepEqual(ran(r.report, 'after the failure check'), [], 'the failed batch stopped at the failing task');
    // hosts the stopped rollout never reached are in the report's stats with zeros, and named
    const zero = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
    assert.deepEqual(r.report.stats[h3], zero);
    assert.deepEqual(r.report.stats[h4], zero);
    assert.deepEqual((r.report as unknown as { not_attempted: string[] }).not_attempted, [h3, h4]);

    const late = await runWith(labInventory(lab), join(fixtures, 'serial.yaml'), ['-e', `fail_host=${h3}`]);
    assert.equal(late.code, 2);
    assert.deepEqual(ran(late.report, 'after the failure check'), [h1, h2], 'the first batch completed, the second stopped');
    assert.deepEqual(ran(late.report, 'fail on the chosen host'), [h1, h2, h3, h4]);
  });

  it('serial: 2 with max_fail_percentage: 50 tolerates one failure per batch', async () => {
    const lab = h.lab();
    const [h1, h2, h3, h4] = lab.hosts.map((x) => x.name) as [string, string, string, string];
    const r = await runWith(labInventory(lab), join(fixtures, 'serial-50.yaml'), ['-e', `fail_host=${h1}`]);
    assert.equal(r.code, 2);
    assert.deepEqual(ran(r.report, 'after the failure check'), [h2, h3, h4]);
    assert.equal(r.report.stats[h1]?.failed, 1);
  });

  it('strategy: free lets fast hosts run ahead of a slow one', async () => {
    const lab = h.lab();
    const slow = lab.hosts[0]!.name;
    const r = await runWith(labInventory(lab), join(fixtures, 'free.yaml'), ['-e', `slow_host=${slow}`]);
    assert.equal(r.code, 0, r.out + r.err);
    const slowEnd = String(resultOf(r.report, 'slow on one host', slow)?.result.end);
    const slowEndNs = BigInt(Date.parse(slowEnd.replace(' ', 'T'))) * 1_000_000n;
    for (const fast of lab.hosts.slice(1)) {
      const stamp = BigInt(String(resultOf(r.report, 'stamp', fast.name)?.result.stdout));
      assert.ok(stamp < slowEndNs, `${fast.name} ran its next task before ${slow} finished sleeping`);
    }
    assert.deepEqual(ran(r.report, 'second stamp'), lab.hosts.map((x) => x.name).sort());
  });
});
