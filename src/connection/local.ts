/**
 * LocalConnection (`ansible_connection: local`): the same persistent `/bin/sh` sessions
 * as over SSH, as child processes of the controller. A persistent session measured
 * faster than spawning a shell per command (see test/connection/local.test.ts), and it
 * keeps timeout and become semantics identical to the SSH path.
 */
import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { KelpieError } from '../errors.js';
import type { ShellCommand } from '../shell/quote.js';
import { ChannelBudget, SessionPool } from './pool.js';
import { identityKey, launchCommand, newToken } from './script.js';
import { ShellSession } from './session.js';
import type { BecomeSpec, Connection, ExecOptions, ExecResult } from './types.js';

export interface LocalOptions {
  host: string;
  commandTimeoutMs: number;
  /** Parallel sessions on the controller; default 8. */
  maxSessions?: number;
  startTimeoutMs?: number;
}

export class LocalConnection implements Connection {
  readonly host: string;
  readonly user: string;
  private readonly pool: SessionPool;
  private readonly become = new Map<string, BecomeSpec | undefined>();

  constructor(private readonly opts: LocalOptions) {
    this.host = opts.host;
    this.user = userInfo().username;
    this.pool = new SessionPool(new ChannelBudget(opts.maxSessions ?? 8), (id) => this.openSession(id));
  }

  async connect(): Promise<void> {}

  async exec(cmd: ShellCommand, o: ExecOptions = {}): Promise<ExecResult> {
    const id = identityKey(o.become);
    this.become.set(id, o.become);
    return this.pool.run(id, cmd, o, this.opts.commandTimeoutMs);
  }

  async readFile(path: string): Promise<Buffer | null> {
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new KelpieError('module', `read ${path} on ${this.host}: ${(e as Error).message}`, { cause: e });
    }
  }

  async writeFile(path: string, data: Buffer, mode?: number): Promise<void> {
    try {
      await writeFile(path, data, mode === undefined ? {} : { mode });
      if (mode !== undefined) await chmod(path, mode);
    } catch (e) {
      throw new KelpieError('module', `write ${path} on ${this.host}: ${(e as Error).message}`, { cause: e });
    }
  }

  interrupt(): void {
    this.pool.interruptAll();
  }

  async close(): Promise<void> {
    this.pool.closeAll();
  }

  private async openSession(id: string): Promise<ShellSession> {
    const become = this.become.get(id);
    const ready = newToken();
    const prompt = `[kelpie-become-${newToken()}] `;
    // detached: the session leads its own process group, so its `kill -TERM 0` on a
    // timeout reaches the command's processes and never the controller itself
    const child = spawn('/bin/sh', ['-c', launchCommand(ready, become, prompt).text], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const session = new ShellSession(
      {
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        onClose: (cb) => child.once('close', cb),
        destroy: () => {
          child.stdin.destroy();
          child.kill('SIGKILL');
        },
      },
      id,
      `${this.host} (local)`,
    );
    await session.start(ready, become, prompt, this.opts.startTimeoutMs ?? 10000);
    return session;
  }
}
