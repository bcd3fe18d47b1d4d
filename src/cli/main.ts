#!/usr/bin/env node
/** kelpie's entry point: the only place that touches the process's argv, signals and exit code. */
import { setFlagsFromString } from 'node:v8';
import { installSignalHandlers } from './interrupt.js';
import { processIo } from './io.js';
import { main } from './run.js';

// A start runs a few hundred ms of JS once (reading and checking the playbooks), and V8 spent a
// quarter of a --syntax-check's CPU optimizing functions that never ran again. Six times its
// default budget before optimizing a function: what stays hot in a long run is still optimized,
// a little later. (The budget is read whenever a function's counter is reset, so setting it
// here, before the work starts, is enough; bench/README.md has the measurement.)
setFlagsFromString('--interrupt-budget=400000');

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
main(process.argv.slice(2), { ...processIo(), interrupts }).then(
  (code) => {
    process.exitCode = code;
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
