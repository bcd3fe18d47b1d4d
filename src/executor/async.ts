/**
 * `async: N` / `poll: P`, as Ansible runs them.
 *
 * command and shell run as a background job on the host (modules/_lib/asyncJob.ts):
 * with P > 0 kelpie reads the job's results file every P seconds, up to N seconds, and the
 * task's result is the job's; with P = 0 (fire-and-forget) the task returns at once with
 * `ansible_job_id`, `started`, `finished` and `results_file`, for async_status to follow.
 * Other modules Ansible runs asynchronously run in kelpie's persistent session with N as
 * their time limit (docs/deviations.md: async-in-session); fire-and-forget is refused for
 * them. Ansible's action plugins without async support fail as Ansible's do, and so does
 * any async task in check mode. Ansible's words: test/parity/golden/modules/async.json.
 */
import { randomInt } from 'node:crypto';
import { KelpieError, type SourceLocation } from '../errors.js';
import type { ExecOptions, ExecResult } from '../connection/types.js';
import { isFinished, jobRun, killJobCommand, launchJob, newJobId, parseJobState, readJobCommand, storeJobCommand } from '../modules/_lib/asyncJob.js';
import type { CommandShape, TimedRun } from '../modules/types.js';
import { BACKGROUND_ACTIONS, NO_ASYNC_ACTIONS, fireAndForgetRefused } from '../playbook/keywords.js';
import type { TaskNode } from '../playbook/model.js';
import type { ShellCommand } from '../shell/quote.js';
import type { Templar } from '../template/index.js';
import type { Result } from './result.js';

export interface AsyncJob {
  seconds: number;
  /** Seconds between two looks at the job; 0: fire-and-forget. */
  poll: number;
  jobId: string;
  /** Set once the job is on the host. */
  resultsFile?: string;
}

function whole(templar: Templar, v: unknown, vars: Record<string, unknown>, key: string, task: TaskNode): number {
  const raw = typeof v === 'string' ? templar.render(v, vars) : v;
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new KelpieError('config', `'${key}' must be a whole number of seconds, got ${JSON.stringify(raw)}`, { loc: task.keyLocs[key] ?? task.loc });
  return n;
}

/** The task's async job, or undefined for an ordinary task (no async, or async: 0). */
export function asyncJob(templar: Templar, task: TaskNode, vars: Record<string, unknown>): AsyncJob | undefined {
  if (task.async === undefined || task.async === null) return undefined;
  const seconds = whole(templar, task.async, vars, 'async', task);
  if (seconds === 0) return undefined;
  // Ansible's default poll interval is 15 s
  const poll = task.poll === undefined || task.poll === null ? 15 : whole(templar, task.poll, vars, 'poll', task);
  return { seconds, poll, jobId: newJobId(randomInt(1e12)) };
}

/** Why this async task fails before it starts, in Ansible's words (or kelpie's refusal), if it does. */
export function asyncRefusal(job: AsyncJob, action: string, checkMode: boolean, loc: SourceLocation): string | undefined {
  if (NO_ASYNC_ACTIONS.has(action)) return 'async is not supported for this task.';
  if (checkMode) return 'check mode and async cannot be used on same task.';
  if (job.poll === 0 && !BACKGROUND_ACTIONS.has(action)) return new KelpieError('config', fireAndForgetRefused(action), { loc }).format();
  return undefined;
}

/** Thrown through the module once a fire-and-forget job is on the host. */
export class JobStarted extends Error {}
/** Thrown through the module when a polled job outlives its limit. */
export class JobTimedOut extends Error {}

type Exec = (cmd: ShellCommand, opts?: ExecOptions) => Promise<ExecResult>;

/** Starts the job on the host and, when polled, waits for its record. */
export async function runJob(job: AsyncJob, exec: Exec, cmd: ShellCommand, opts: ExecOptions, shape: CommandShape): Promise<TimedRun> {
  const launched = await exec(launchJob(job.jobId, job.seconds, cmd, shape), { ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  if (launched.rc !== 0) throw new Error(`could not start the async job: ${launched.stderr.trim() || `rc ${launched.rc}`}`);
  job.resultsFile = launched.stdout.trim();
  if (job.poll === 0) throw new JobStarted(job.jobId);
  // Ansible's loop: sleep `poll`, look, until `async` seconds are used up
  for (let left = job.seconds; left > 0; left -= job.poll) {
    await new Promise((res) => setTimeout(res, job.poll * 1000));
    const { record } = parseJobState(await exec(readJobCommand(job.jobId)));
    if (record && isFinished(record)) {
      if (record.rc === undefined) throw new JobTimedOut(String(record.msg ?? 'Timeout exceeded'));
      return jobRun(record);
    }
  }
  await exec(killJobCommand(job.jobId));
  throw new JobTimedOut(job.jobId);
}

/**
 * A job kelpie ran in its session (a module it cannot put in the background): its result
 * becomes the job's record on the host, so results_file and async_status work as for any job.
 */
export async function storeJob(job: AsyncJob, exec: Exec, r: Result): Promise<void> {
  const stored = await exec(storeJobCommand(job.jobId), { stdin: JSON.stringify(r) });
  if (stored.rc === 0) job.resultsFile = stored.stdout.trim();
}

/** What Ansible's async_status puts under every polled result. */
const NO_OUTPUT = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };

/** The keys Ansible's async adds to a job's result. */
function jobKeys(job: AsyncJob, finished: 0 | 1): Result {
  return { ansible_job_id: job.jobId, started: 1, finished, ...(job.resultsFile !== undefined ? { results_file: job.resultsFile } : {}) };
}

/** A job that finished in time: its result plus the keys Ansible's async adds. */
export function finishedJob(job: AsyncJob, r: Result): Result {
  return { ...NO_OUTPUT, ...r, ...jobKeys(job, 1) };
}

/** A fire-and-forget job just started; Ansible's `failed` is the number 0 here. */
export function startedJob(job: AsyncJob): Result {
  return { ...jobKeys(job, 0), changed: true, failed: 0 };
}

/** A job past its limit: Ansible's failure. */
export function timedOutJob(job: AsyncJob): Result {
  return {
    failed: true,
    changed: false,
    msg: `async task did not complete within the requested time - ${job.seconds}s`,
    async_result: { ...jobKeys(job, 0), ...NO_OUTPUT },
  };
}
