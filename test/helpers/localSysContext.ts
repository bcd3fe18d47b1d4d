/**
 * A module context on THIS machine through /bin/sh (no ssh), for harmless real-execution
 * tests: check-mode plans and probes. exec()/writeFile refuse unless a test opts in, so a
 * test cannot change the controller by accident.
 */
import { spawn } from 'node:child_process';
import { readFile, stat as fsStat } from 'node:fs/promises';
import type { ShellCommand } from '../../src/shell/quote.js';
import type { ExecOptions, ExecResult, FileStat } from '../../src/connection/types.js';
import type { WriteContext } from '../../src/modules/types.js';
import { controllerStubs } from './controllerStubs.js';
import { timedExec } from '../../src/modules/commands/run.js';

export function runLocal(text: string, opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', text], { env: { ...process.env, ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ rc: code ?? 255, stdout, stderr });
    });
  });
}

export interface LocalSysContext extends WriteContext {
  probes: string[];
}

export function localSysContext(opts: { facts?: Record<string, unknown>; allowWrites?: boolean } = {}): LocalSysContext {
  const probes: string[] = [];
  const refuse = (what: string): never => {
    throw new Error(`localSysContext: ${what} refused (tests must not change this machine)`);
  };
  return {
    host: 'localhost',
    vars: {},
    diffMode: true,
    verbosity: 0,
    probes,
    async probe(cmd: ShellCommand, o?: Omit<ExecOptions, 'stdin'>) {
      probes.push(cmd.text);
      return runLocal(cmd.text, o);
    },
    // the task's own command: timed, never in the background (no async in these contexts)
    runCommand(cmd: ShellCommand, o: ExecOptions) {
      return timedExec((c, x) => this.exec(c, x), cmd, o);
    },
    async exec(cmd: ShellCommand, o?: ExecOptions) {
      if (!opts.allowWrites) refuse(`exec ${cmd.text}`);
      return runLocal(cmd.text, o);
    },
    async readFile(path: string) {
      try {
        return await readFile(path);
      } catch {
        return null;
      }
    },
    async stat(path: string): Promise<FileStat | null> {
      try {
        const s = await fsStat(path);
        return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtime: Math.floor(s.mtimeMs / 1000) };
      } catch {
        return null;
      }
    },
    ...controllerStubs(opts.facts),
    async writeFile(path: string) {
      return refuse(`writeFile ${path}`);
    },
    async tempFile() {
      return refuse('tempFile');
    },
  };
}
