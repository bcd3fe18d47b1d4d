/** Runs kelpie's CLI in-process with captured output. */
import { main } from '../../src/cli/run.js';
import type { Io } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: NodeJS.ReadableStream; tty?: boolean } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...(opts.env ?? {}) },
    tty: opts.tty ?? false,
    stdin: opts.stdin ?? process.stdin,
  };
  const code = await main(argv, io);
  return { code, out, err };
}
