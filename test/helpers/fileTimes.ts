/**
 * Root hooks for `npm test` (test/run.ts): each test file's wall time, one JSON line per
 * file appended to the file named by $KELPIE_TEST_TIMES, and its coverage written out. In parallel mode mocha runs root
 * hooks once per test file, in the file's worker.
 */
import { appendFileSync } from 'node:fs';
import { takeCoverage } from 'node:v8';

export const TIMES_ENV = 'KELPIE_TEST_TIMES';

export interface FileTime {
  file: string;
  ms: number;
}

let started = 0;

export const mochaHooks = {
  beforeAll(): void {
    started = Date.now();
  },
  afterAll(this: Mocha.Context): void {
    // Under c8 (npm test), a worker's coverage is otherwise written only when it exits, and
    // mocha's pool kills a worker that takes over a second to exit: write it after each file.
    if (process.env.NODE_V8_COVERAGE) takeCoverage();
    const out = process.env[TIMES_ENV];
    const file = this.test?.parent?.suites[0]?.file;
    if (!out || !file) return;
    const time: FileTime = { file, ms: Date.now() - started };
    appendFileSync(out, `${JSON.stringify(time)}\n`);
  },
};
