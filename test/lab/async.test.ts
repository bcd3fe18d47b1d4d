/**
 * async on a real host over ssh: a fire-and-forget job keeps running after kelpie's run
 * (and its ssh connection) has ended, and a later run follows it with async_status until
 * it finishes, reading the job's result from ~/.ansible_async/<jid> on the host.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost } from '../../src/lab/index.js';
import { labHostVars, resultOf, runWith, writeInventory } from '../helpers/engineLab.js';
import { useLab } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-async');

describe('lab async: background jobs outlive the connection', function () {
  this.timeout(300_000);
  const h = useLab('async', 1);

  it('poll: 0 leaves the job running on the host; async_status in a later run reports its result', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host) }]);

    const start = await runWith(inv, join(fixtures, 'start.yaml'));
    assert.equal(start.code, 0, start.out + start.err);
    const job = resultOf(start.report, 'fire and forget', host.name)!;
    assert.equal(job.status, 'changed');
    const jid = String(job.result.ansible_job_id);
    assert.match(jid, /^j\d+\.\d+$/);
    assert.deepEqual([job.result.started, job.result.finished, job.result.results_file], [1, 0, `/root/.ansible_async/${jid}`]);
    const polled = resultOf(start.report, 'polled', host.name)!;
    assert.deepEqual([polled.result.stdout, polled.result.finished, polled.result.results_file], [host.name, 1, `/root/.ansible_async/${String(polled.result.ansible_job_id)}`]);

    // kelpie has exited: its ssh connection is gone, the job is still at work
    const running = await runInHost(host, ['cat', `/root/.ansible_async/${jid}`]);
    assert.deepEqual(JSON.parse(running.stdout), { started: 1, finished: 0, ansible_job_id: jid });
    assert.equal((await runInHost(host, ['pgrep', '-f', '^sleep 8$'])).rc, 0, 'the job is running after the run ended');
    assert.equal((await runInHost(host, ['test', '-e', '/root/async-out'])).rc, 1, 'the job has not finished yet');

    const status = await runWith(inv, join(fixtures, 'status.yaml'), ['-e', `jid=${jid}`]);
    assert.equal(status.code, 0, status.out + status.err);
    const st = resultOf(status.report, 'wait for the job', host.name)!;
    assert.equal(st.status, 'changed');
    assert.deepEqual([st.result.finished, st.result.rc, st.result.stdout, st.result.cmd], [1, 0, 'finished', 'sleep 8; hostname > /root/async-out; echo finished']);
    assert.ok(Number(st.result.attempts) > 1, 'async_status looked while the job was still running');
    assert.equal((await runInHost(host, ['cat', '/root/async-out'])).stdout.trim(), host.name);
    assert.equal(resultOf(status.report, 'clean up', host.name)?.result.erased, `/root/.ansible_async/${jid}`);
    assert.equal((await runInHost(host, ['test', '-e', `/root/.ansible_async/${jid}`])).rc, 1, 'cleanup removed the results file');
  });
});
