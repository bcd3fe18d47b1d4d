/**
 * async_status: the state of a background job started by `async` (executor/async.ts),
 * read from its results file ~/.ansible_async/<jid>; `mode: cleanup` removes the file.
 * A finished command job's result is shaped as the command's own would have been.
 */
import { defineModule, type CommandShape } from '../types.js';
import { cleanupJobCommand, isFinished, jobRun, parseJobState, readJobCommand } from '../_lib/asyncJob.js';
import { commandResult } from './run.js';

const args = {
  jid: { type: 'str', required: true, description: 'The ansible_job_id of the async task.' },
  mode: { type: 'str', default: 'status', choices: ['status', 'cleanup'] },
} as const;

/** Empty output under every result (the executor adds their *_lines, as for any module run on the host). */
const NO_OUTPUT = { stdout: '', stderr: '' };

/** The job's result from its finished record (Ansible's "Timeout exceeded" record as it is). */
function finishedResult(record: Record<string, unknown>): Record<string, unknown> {
  const { kelpie_command: shape, started: _s, finished: _f, ansible_job_id: _j, ...rest } = record;
  if (!shape || typeof shape !== 'object') return rest;
  const applied = commandResult(jobRun(record), shape as CommandShape);
  return { ...applied.result, changed: applied.changed ?? true, failed: applied.failed ?? false, ...(applied.msg !== undefined ? { msg: applied.msg } : {}) };
}

export default defineModule<typeof args, string>({
  name: 'async_status',
  args,
  async plan(ctx, a) {
    const { resultsFile, record } = parseJobState(await ctx.probe(readJobCommand(a.jid)));
    if (record === undefined) return { kind: 'fail', msg: 'could not find job', result: { ansible_job_id: a.jid, results_file: resultsFile, started: 1, finished: 1, ...NO_OUTPUT } };
    if (a.mode === 'cleanup') return { kind: 'change', changes: [`remove ${resultsFile}`], data: resultsFile };
    const keys = { ansible_job_id: a.jid, results_file: resultsFile, started: 1 };
    if (record === null || !isFinished(record)) return { kind: 'ok', result: { ...keys, finished: 0, ...NO_OUTPUT } };
    return { kind: 'ok', result: { ...NO_OUTPUT, ...finishedResult(record), ...keys, finished: 1 } };
  },
  async apply(ctx, a, resultsFile) {
    const r = await ctx.exec(cleanupJobCommand(a.jid));
    if (r.rc !== 0) return { failed: true, changed: false, msg: `could not remove ${resultsFile}: ${r.stderr.trim()}` };
    // Ansible reports a cleanup as unchanged, with the keys of a job not started
    return { changed: false, result: { ansible_job_id: a.jid, erased: resultsFile, started: 0, finished: 0, ...NO_OUTPUT } };
  },
});
