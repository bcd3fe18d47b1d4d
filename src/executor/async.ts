/**
 * `async: N` with `poll: M > 0`: the task may run at most N seconds; past that its command
 * is killed and the task fails with Ansible's message. kelpie's persistent session waits
 * for the command itself, so polling every M seconds changes nothing observable except
 * the result keys Ansible adds (ansible_job_id, started, finished). `poll: 0`
 * (fire-and-forget) and async_status are not implemented: refused, never run blocking.
 * Ansible's words are recorded in test/fixtures/executor/async/golden-ansible.txt.
 */
import { randomBytes } from 'node:crypto';
import { KelpieError } from '../errors.js';
import { FIRE_AND_FORGET_REFUSED } from '../playbook/keywords.js';
import type { TaskNode } from '../playbook/model.js';
import type { Templar } from '../template/index.js';
import type { Result } from './result.js';

export interface AsyncJob {
  seconds: number;
  jobId: string;
}


function whole(templar: Templar, v: unknown, vars: Record<string, unknown>, key: string, task: TaskNode): number {
  const raw = typeof v === 'string' ? templar.render(v, vars) : v;
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new KelpieError('config', `'${key}' must be a whole number of seconds, got ${JSON.stringify(raw)}`, { loc: task.keyLocs[key] ?? task.loc });
  return n;
}

/** The task's async limit, or undefined for an ordinary task (no async, or async: 0). */
export function asyncJob(templar: Templar, task: TaskNode, vars: Record<string, unknown>): AsyncJob | undefined {
  if (task.async === undefined || task.async === null) return undefined;
  const seconds = whole(templar, task.async, vars, 'async', task);
  if (seconds === 0) return undefined;
  // Ansible's default poll interval is 15 s
  const poll = task.poll === undefined || task.poll === null ? 15 : whole(templar, task.poll, vars, 'poll', task);
  if (poll === 0) throw new KelpieError('config', FIRE_AND_FORGET_REFUSED, { loc: task.keyLocs.poll ?? task.loc });
  return { seconds, jobId: `j${randomBytes(6).readUIntBE(0, 6) % 1e12}.${process.pid}` };
}

/** A job that finished in time: its result plus the keys Ansible's async adds. */
export function finishedJob(job: AsyncJob, r: Result): Result {
  return { ...r, ansible_job_id: job.jobId, started: 1, finished: 1 };
}

/** A job past its limit (its command was killed): Ansible's failure. */
export function timedOutJob(job: AsyncJob): Result {
  return {
    failed: true,
    changed: false,
    msg: `async task did not complete within the requested time - ${job.seconds}s`,
    async_result: { ansible_job_id: job.jobId, started: 1, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] },
  };
}
