import { spawn } from 'node:child_process';

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** Reject when rc != 0 (default true). */
  check?: boolean;
}

/**
 * Run a local program with an argv array (no shell). Lab scripts that need sh get their
 * values through environment variables, never by splicing values into script text.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const res = {
        rc: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (opts.check !== false && res.rc !== 0) {
        const tail = (res.stderr || res.stdout).trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} exited ${res.rc}${signal ? ` (${signal})` : ''}:\n${tail}`));
      } else resolve(res);
    });
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
  });
}

/** Run a constant sh script; values arrive as environment variables. */
export function runScript(script: string, vars: Record<string, string>, opts: RunOptions = {}): Promise<RunResult> {
  return run('/bin/sh', ['-euc', script], { ...opts, env: { ...process.env, ...vars, ...opts.env } });
}
