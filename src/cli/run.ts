/** kelpie's command dispatcher: argv in, exit code out (src/cli/main.ts wires it to the process). */
import { CommanderError } from 'commander';
import { KelpieError } from '../errors.js';
import type { Io } from './io.js';
import { errorText, exitCodeFor, fromCommanderError } from './parser.js';
import { buildProgram } from './program.js';

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  let verbosity = 0;
  try {
    await buildProgram(io, (c) => (code = c))
      .hook('preAction', (_, action) => void (verbosity = Number(action.opts().verbose ?? 0)))
      .parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    const stop = e instanceof CommanderError ? fromCommanderError(e) : e;
    if (typeof stop === 'number') return stop;
    return reportError(stop, io, verbosity >= 3);
  }
}

/** One error style for every command: `ERROR! file:line:col: message (hint)`, no stack below -vvv. */
function reportError(e: unknown, io: Io, verbose: boolean): number {
  io.err(`ERROR! ${errorText(e)}\n`);
  if (verbose && e instanceof Error && e.stack) io.err(e.stack + '\n');
  else if (!(e instanceof KelpieError)) io.err('(run with -vvv for the stack trace)\n');
  return exitCodeFor(e);
}
