#!/usr/bin/env node
/**
 * kelpie's entry point: the only place that touches the process's argv, signals and exit code.
 *
 * The same bundle (dist/kelpie.cjs) is also the entry of the bin's startup snapshot
 * (snapshot.ts): building it only loads the code, and the CLI starts when Node deserializes the
 * snapshot, in the user's process, with its argv, cwd and environment.
 */
import { restoreDeferredEnv } from './binEnv.js';
import { installSignalHandlers } from './interrupt.js';
import { processIo } from './io.js';
import { main } from './run.js';
import { buildingSnapshot, buildSnapshot } from './snapshot.js';
import { tuneV8 } from './v8flags.js';

function start(args: string[]): void {
  restoreDeferredEnv();
  // (the bin's launcher has set them already, before compiling; setting them again changes nothing)
  tuneV8();

  // `kelpie doc --list | head`: a reader that went away is not an error of ours; stop quietly, as a
  // shell tool does on SIGPIPE (exit 141 = 128 + SIGPIPE)
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
  }

  const interrupts = installSignalHandlers(
    (s) => process.stderr.write(s),
    (code) => process.exit(code),
  );
  main(args, { ...processIo(), interrupts }).then(
    (code) => {
      process.exitCode = code;
      // once nothing is left to do (output written, connections closed), exit then: what Node
      // would do next is free the whole heap piece by piece, which the OS does at exit anyway
      // (~8 ms of every start, traced from the last write to exit_group)
      process.once('beforeExit', () => process.exit(code));
      // connections are closed by the runner; don't wait for stray timers, but do let a
      // slow reader of a piped stdout/stderr receive everything first (exit drops queued writes)
      const exitSoon = (): void => void setTimeout(() => process.exit(code), 50).unref();
      process.stdout.write('', () => process.stderr.write('', exitSoon));
    },
    (e: unknown) => {
      process.stderr.write(`ERROR! ${String(e)}\n`);
      process.exit(1);
    },
  );
}

if (buildingSnapshot()) {
  // (no tuneV8() here: a snapshot only starts under the V8 flags it was built with)
  buildSnapshot(start, process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`kelpie: the startup snapshot could not be built: ${String(e)}\n`);
    process.exit(1);
  });
} else {
  start(process.argv.slice(2));
}
