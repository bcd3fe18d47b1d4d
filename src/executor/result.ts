/** Turning a module's plan/apply into Ansible-shaped results, and keeping secrets out of them. */
import type { HostStatus } from '../output/events.js';
import type { Applied, Plan } from '../modules/types.js';
import { splitLines } from '../splitlines.js';

export type Result = Record<string, unknown>;

export const NO_LOG_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function planResult(plan: Plan, checkMode: boolean): Result {
  switch (plan.kind) {
    case 'ok':
      return { changed: false, ...(plan.msg !== undefined ? { msg: plan.msg } : {}), ...plan.result };
    case 'change':
      return {
        changed: true,
        ...(plan.msg !== undefined ? { msg: plan.msg } : {}),
        ...(plan.changes ? { changes: plan.changes } : {}),
        ...plan.result,
        ...(plan.diff ? { diff: plan.diff } : {}),
      };
    case 'unknown':
      return {
        changed: true,
        ...(checkMode ? { check_unknown: plan.reason, msg: `would change, cannot verify: ${plan.reason}` } : {}),
        ...plan.result,
        ...(plan.diff ? { diff: plan.diff } : {}),
        // never a failure, even when it carries the rc of a probe that failed because an
        // earlier task's change has not happened yet (Ansible-style status keys read rc)
        failed: false,
      };
    case 'fail':
      return { changed: false, ...plan.result, failed: true, msg: plan.msg };
    case 'skip':
      return { changed: false, ...plan.result, skipped: true, ...(plan.msg !== undefined ? { msg: plan.msg } : {}) };
  }
}

export function appliedResult(plan: Plan, applied: Applied): Result {
  const r: Result = { ...(plan.kind === 'change' || plan.kind === 'unknown' ? plan.result : {}), ...applied.result };
  // a module that failed without saying otherwise changed nothing (Ansible's fail_json)
  r.changed = applied.changed ?? !applied.failed;
  if (applied.failed) r.failed = true;
  if (applied.msg !== undefined) r.msg = applied.msg;
  else if (plan.kind === 'change' && plan.msg !== undefined) r.msg = plan.msg;
  if (plan.kind === 'change' && plan.changes && r.changes === undefined) r.changes = plan.changes;
  const diff = applied.diff ?? (plan.kind === 'change' || plan.kind === 'unknown' ? plan.diff : undefined);
  if (diff) r.diff = diff;
  return r;
}

/**
 * Ansible splits every module result's `stdout` and `stderr` into `stdout_lines` and
 * `stderr_lines` (Python's splitlines: `\r` ends a line too) unless the module set them.
 */
export function withOutputLines(r: Result): Result {
  if (r.unreachable) return r;
  const out = { ...r };
  for (const k of ['stdout', 'stderr'] as const) {
    if (out[k] !== undefined && out[`${k}_lines`] === undefined) out[`${k}_lines`] = splitLines(typeof out[k] === 'string' ? out[k] : '');
  }
  return out;
}

export function statusOf(r: Result): HostStatus {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

export function censor(r: Result): Result {
  const out: Result = { censored: NO_LOG_MSG, changed: Boolean(r.changed) };
  for (const k of ['failed', 'skipped', 'unreachable'] as const) if (r[k]) out[k] = true;
  return out;
}

/** A loop's registered result, keyed and worded as Ansible's task executor builds it. */
/** Whether check mode could not verify this result, or one of its loop's items. */
export function cannotVerify(r: Result): boolean {
  if (r.check_unknown) return true;
  return Array.isArray(r.results) && r.results.some((item) => typeof item === 'object' && item !== null && Boolean((item as Result).check_unknown));
}

export function loopResult(results: Result[]): Result {
  if (results.length === 0) return { changed: false, skipped: true, skipped_reason: 'No items in the list', results };
  const failed = results.some((r) => r.failed);
  const skipped = results.every((r) => r.skipped);
  return {
    results,
    skipped,
    changed: results.some((r) => r.changed),
    ...(failed ? { failed: true } : {}),
    msg: skipped ? 'All items skipped' : failed ? 'One or more items failed' : 'All items completed',
    ...(results.some((r) => r.unreachable) ? { unreachable: true } : {}),
  };
}
