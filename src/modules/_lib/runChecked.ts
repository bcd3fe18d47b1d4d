/** apply() helpers: run a changing command and turn a failure into a module error with its output. */
import { KelpieError } from '../../errors.js';
import type { ShellCommand } from '../../shell/quote.js';
import type { ExecOptions, ExecResult } from '../../connection/types.js';
import type { WriteContext } from '../types.js';

export class ModuleCommandError extends KelpieError {
  readonly result: ExecResult;
  readonly cmd: string;
  constructor(what: string, cmd: ShellCommand, r: ExecResult) {
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
    super('module', `${what} failed (rc ${r.rc}): ${detail}`);
    this.name = 'ModuleCommandError';
    this.result = r;
    this.cmd = cmd.text;
  }
}

/** Runs cmd; throws ModuleCommandError unless rc is in okCodes (default [0]). */
export async function runChecked(
  ctx: WriteContext,
  what: string,
  cmd: ShellCommand,
  opts?: ExecOptions & { okCodes?: readonly number[] },
): Promise<ExecResult> {
  const { okCodes = [0], ...execOpts } = opts ?? {};
  const r = await ctx.exec(cmd, execOpts);
  if (!okCodes.includes(r.rc)) throw new ModuleCommandError(what, cmd, r);
  return r;
}
