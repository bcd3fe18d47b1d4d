/**
 * async/poll against Ansible's recorded behaviour (fixtures/executor/async/golden-ansible.txt):
 * a job that finishes in time carries ansible_job_id, started and finished; one past its
 * limit is killed and fails with Ansible's message. poll: 0 on a module kelpie cannot leave
 * running (not command/shell) is refused where it is written. Fire-and-forget and
 * async_status: test/parity/playbooks/cases/modules/async.yaml, test/lab/async.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/executor/async');

interface Report {
  plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
}

describe('async and poll', function () {
  this.timeout(120_000);

  it('enforces the limit and shapes results as Ansible does', async () => {
    const golden = readFileSync(join(dir, 'golden-ansible.txt'), 'utf8');
    const marker = String(process.pid);
    const json = join(mkdtempSync(join(tmpdir(), 'kelpie-async-')), 'r.json');
    const r = await runCli(['playbook', join(dir, 'async.yaml'), '-i', 'localhost,', '-e', `marker=${marker}`, '--json', json]);
    assert.equal(r.code, 0, r.out + r.err);
    const tasks = (JSON.parse(readFileSync(json, 'utf8')) as Report).plays[0]!.tasks;
    const quick = tasks.find((t) => t.name === 'finishes in time')!.hosts.localhost!;
    assert.equal(quick.status, 'changed');
    assert.match(String(quick.result.ansible_job_id), /^j\d+\.\d+$/);
    assert.deepEqual([quick.result.started, quick.result.finished, quick.result.stdout], [1, 1, 'hi']);
    assert.match(golden, /"finished": 1,/);

    const slow = tasks.find((t) => t.name === 'runs past its limit')!.hosts.localhost!;
    assert.equal(slow.status, 'failed');
    const msg = 'async task did not complete within the requested time - 2s';
    assert.ok(golden.includes(`"msg": "${msg}"`), 'the golden has the same message');
    assert.equal(slow.result.msg, msg);
    assert.equal(slow.result.changed, false);
    const job = slow.result.async_result as Record<string, unknown>;
    assert.deepEqual([job.started, job.finished], [1, 0]);
    let left = '';
    try {
      // the command itself (the job's runner script also holds its text while it winds down)
      left = execFileSync('pgrep', ['-f', `^sleep 300\\.${marker}`], { encoding: 'utf8' });
    } catch {
      /* pgrep: nothing matched */
    }
    assert.equal(left, '', 'the command past its limit was killed');
  });

  it('poll: 0 on a module kelpie cannot leave running is refused at its position, before any host is touched', async () => {
    const r = await runCli(['playbook', join(dir, 'fire-and-forget.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.err, /fire-and-forget\.yaml:7:7: .*poll: 0 \(fire-and-forget\) runs command and shell in the background; kelpie cannot leave 'lineinfile' running/);
  });
});
