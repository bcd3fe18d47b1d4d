/**
 * What command, shell, raw and script share: the creates/removes guard, the check-mode
 * plan, running with timing, and Ansible's result shape (cmd, rc, stdout, stderr, start,
 * end, delta, msg). stdout_lines and stderr_lines are not made here: the executor adds them
 * to every result of a module run on the host (withOutputLines), as Ansible's action layer does.
 */
import * as posixPath from 'node:path/posix';
import { quote, sh, type ShellCommand } from '../../shell/quote.js';
import type { ExecOptions, ExecResult } from '../../connection/types.js';
import type { Applied, CommandShape, Plan, ReadContext, ResultData, TimedRun, WriteContext } from '../types.js';
import { renderGlob } from './words.js';

/** `2024-05-01 12:00:00.123456`, local time, like Ansible's start/end. */
export function formatTimestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`
  );
}

/** `0:00:01.234000`, like Python's str(timedelta). */
export function formatDelta(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  const totalSec = Math.floor(us / 1e6);
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(us % 1e6).padStart(6, '0')}`;
}

export interface Guard {
  creates?: string | undefined;
  removes?: string | undefined;
  chdir?: string | undefined;
}

/** Relative creates/removes are taken relative to chdir, as Ansible does. */
function guardPath(p: string, chdir: string | undefined): string {
  return chdir && !posixPath.isAbsolute(p) ? posixPath.join(chdir, p) : p;
}

async function globMatches(ctx: ReadContext, pattern: string): Promise<boolean> {
  const probe = sh`for f in ${renderGlob(pattern)}; do if [ -e "$f" ] || [ -L "$f" ]; then exit 0; fi; done; exit 1`;
  return (await ctx.probe(probe)).rc === 0;
}

/** A command that did not run has null times in Ansible's result. */
const NOT_TIMED = { start: null, end: null, delta: null };

/**
 * Ansible's short-circuit: `creates` exists or `removes` is missing → the command does
 * not run and the task is ok, with rc 0 and a "skipped, since ..." stdout. The message
 * says "Did not run", and "Would not run" in check mode.
 */
export async function checkGuard(ctx: ReadContext, g: Guard, cmd: unknown): Promise<Plan | undefined> {
  let why: string | undefined;
  let stdout: string | undefined;
  if (g.creates !== undefined) {
    const p = guardPath(g.creates, g.chdir);
    if (await globMatches(ctx, p)) {
      why = `command since '${p}' exists`;
      stdout = `skipped, since ${p} exists`;
    }
  }
  if (why === undefined && g.removes !== undefined) {
    const p = guardPath(g.removes, g.chdir);
    if (!(await globMatches(ctx, p))) {
      why = `command since '${p}' does not exist`;
      stdout = `skipped, since ${p} does not exist`;
    }
  }
  if (why === undefined || stdout === undefined) return undefined;
  const result = { cmd, rc: 0, stdout, stderr: '', ...NOT_TIMED };
  return { kind: 'ok', msg: `Did not run ${why}`, result, inCheckMode: { kind: 'ok', msg: `Would not run ${why}`, result } };
}

/**
 * The plan of a command-like module once the guard let it through: a change (apply runs
 * it). Check mode cannot run it, so, as Ansible: without creates/removes the task is
 * skipped; with them it reports the change it would make. Either way the check-mode
 * result carries rc 0 and empty output so a later task reading `result.stdout` works.
 */
export function commandPlan(g: Guard, cmd: unknown): Plan {
  const msg = 'Command would have run if not in check mode';
  const empty: ResultData = { cmd, rc: 0, stdout: '', stderr: '', ...NOT_TIMED };
  const guarded = g.creates !== undefined || g.removes !== undefined;
  return { kind: 'change', result: { cmd }, inCheckMode: guarded ? { kind: 'change', msg, result: empty } : { kind: 'skip', msg, result: empty } };
}

/** Prefix that enters chdir or fails with a recognisable message. */
export function withChdir(chdir: string | undefined, body: ShellCommand): ShellCommand {
  if (chdir === undefined) return body;
  return sh`cd -- ${chdir} 2>/dev/null || { printf '%s\\n' ${CHDIR_FAILED} >&2; exit 1; }; ${body}`;
}

export const CHDIR_FAILED = '__kelpie_chdir_failed__';
export const NOT_FOUND = '__kelpie_enoent__';

export interface RunOptions {
  stdin?: string | undefined;
  chdir?: string | undefined;
  /** Strip trailing newlines of stdout/stderr (command/shell's strip_empty_ends). */
  strip: boolean;
  timeoutMs?: number;
}

function stripEnds(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

/** Runs a command through `exec` and times it. */
export async function timedExec(exec: (cmd: ShellCommand, opts: ExecOptions) => Promise<ExecResult>, cmd: ShellCommand, opts: ExecOptions): Promise<TimedRun> {
  const started = new Date();
  const t0 = performance.now();
  const res = await exec(cmd, opts);
  const elapsed = performance.now() - t0;
  return { ...res, start: formatTimestamp(started), end: formatTimestamp(new Date(started.getTime() + elapsed)), delta: formatDelta(elapsed) };
}

/** Runs the command (through the context: in the background under `async`) and shapes Ansible's result. */
export async function runTimed(ctx: WriteContext, cmd: ShellCommand, display: unknown, o: RunOptions): Promise<Applied> {
  const opts = { ...(o.stdin !== undefined ? { stdin: o.stdin } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) };
  const run = await ctx.runCommand(withChdir(o.chdir, cmd), opts, { cmd: display, strip: o.strip, chdir: o.chdir });
  return commandResult(run, { cmd: display, strip: o.strip, chdir: o.chdir });
}

/** A command's result as Ansible shapes it; rc != 0 → failed, 'non-zero return code'. */
export function commandResult(res: TimedRun, shape: CommandShape): Applied {
  const display = shape.cmd;
  if (shape.chdir !== undefined && res.rc === 1 && res.stderr.trim() === CHDIR_FAILED) {
    return {
      changed: false,
      failed: true,
      msg: `Unable to change directory before execution: [Errno 2] No such file or directory: '${shape.chdir}'`,
      result: { cmd: display, rc: null },
    };
  }
  if (res.rc === 2 && res.stderr.trim() === NOT_FOUND && Array.isArray(display)) {
    return {
      changed: false,
      failed: true,
      msg: `[Errno 2] No such file or directory: b'${String(display[0])}'`,
      // Ansible reports the failed exec's argv joined back into shell words
      result: { cmd: display.map((w) => quote(String(w))).join(' '), rc: 2, stdout: '', stderr: '' },
    };
  }
  const stdout = shape.strip ? stripEnds(res.stdout) : res.stdout;
  const stderr = shape.strip ? stripEnds(res.stderr) : res.stderr;
  const result: ResultData = {
    cmd: display,
    rc: res.rc,
    stdout,
    stderr,
    start: res.start,
    end: res.end,
    delta: res.delta,
    msg: res.rc === 0 ? '' : 'non-zero return code',
  };
  return { changed: true, ...(res.rc !== 0 ? { failed: true, msg: 'non-zero return code' } : {}), result };
}

/** A module's check(): the message of the error its argument resolver throws, if any. */
export function problemOf(resolve: () => unknown): string | undefined {
  try {
    resolve();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
