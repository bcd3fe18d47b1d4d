/**
 * kelpie's CLI as a real child process, for what only a process has: signals, exit status,
 * its children. Output is collected as it comes so a test can wait for a line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = createRequire(import.meta.url).resolve('tsx');

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves when the output matches `re` (rejects after `timeoutMs`, or if the process ends first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit status (128+N when killed by signal N, as a shell reports it). */
  exited: Promise<number>;
}

export function spawnCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/cli/main.ts'), ...args], {
    cwd: opts.cwd ?? root,
    env: { ...process.env, ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    text += d.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  const exited = new Promise<number>((resolve) => {
    child.once('close', (code, signal) => {
      resolve(code ?? 128 + (signal ? (signals[signal] ?? 0) : 0));
      for (const w of waiters) w();
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (re, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (re.test(text)) finish();
          else if (done) finish(new Error(`the CLI ended before printing ${re}:\n${text}`));
        };
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${re}:\n${text}`)), timeoutMs);
        const finish = (e?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (e) reject(e);
          else resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}
