#!/usr/bin/env node
/** kelpie's entry point: the only place that touches the process's argv, signals and exit code. */
import { processIo } from './io.js';
import { main } from './run.js';

process.on('SIGINT', () => {
  process.stderr.write('\n[ERROR]: User interrupted execution\n');
  process.exit(99);
});
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    // connections are closed by the runner; don't wait for stray timers
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e: unknown) => {
    process.stderr.write(`ERROR! ${String(e)}\n`);
    process.exit(1);
  },
);
