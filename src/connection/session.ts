/**
 * One persistent `/bin/sh` on a host (or the controller), running one framed command at a
 * time. Transport-agnostic: an ssh2 exec channel and a local child process both fit.
 */
import type { Readable, Writable } from 'node:stream';
import { CommandTimeoutError, InterruptedError, KelpieError } from '../errors.js';
import type { ShellCommand } from '../shell/quote.js';
import { MarkerReader } from './marker-reader.js';
import { commandScript, killScript, killSessionScript, marker, newToken, sessionSetupScript, type CommandScriptOptions } from './script.js';
import type { BecomeSpec, ExecResult } from './types.js';

export interface ShellTransport {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Called once when the transport is gone (channel closed, process exited). */
  onClose(cb: () => void): void;
  destroy(): void;
}

/** The session ended under a running command (the shell died or the link dropped). */
export class SessionClosedError extends KelpieError {
  constructor(message: string) {
    super('module', message);
    this.name = 'SessionClosedError';
  }
}

/** sudo/su refused: wrong or missing password, user not allowed, no such user. */
export class BecomeError extends KelpieError {
  constructor(message: string, hint?: string) {
    super('module', message, hint ? { hint } : {});
    this.name = 'BecomeError';
  }
}

const KILL_GRACE_MS = 3000;
const SU_PROMPT = /(password|passwort|mot de passe|contrase\u00f1a|senha)[^\n:]*:\s*$/i;

export class ShellSession {
  readonly identity: string;
  dead = false;
  /** Settles once the transport is really gone (its channel no longer counts). */
  readonly closed: Promise<void>;
  private readonly out = new MarkerReader();
  private readonly err = new MarkerReader();
  /** Set while a command runs: stops waiting for it (the run then kills its processes). */
  private stopRunning: (() => void) | undefined;

  constructor(
    private readonly transport: ShellTransport,
    identity: string,
    private readonly describe: string,
  ) {
    this.identity = identity;
    transport.stdout.on('data', (c: Buffer) => this.out.push(c));
    transport.stderr.on('data', (c: Buffer) => this.err.push(c));
    transport.stdin.on('error', () => undefined); // EPIPE after the shell died: reported via close
    let onClosed: () => void = () => undefined;
    this.closed = new Promise((resolve) => (onClosed = resolve));
    transport.onClose(() => {
      onClosed();
      this.dead = true;
      const e = new SessionClosedError(`shell session on ${describe} ended`);
      this.out.end(e);
      this.err.end(e);
    });
  }

  /**
   * Waits for the launch command's ready marker, answering a become password prompt on
   * the way (sudo's prompt is our own random marker; su's is its localized "Password:").
   */
  async start(readyToken: string, become: BecomeSpec | undefined, prompt: string, timeoutMs: number): Promise<void> {
    let seen = '';
    let prompts = 0;
    let failure: string | undefined;
    const watch = (c: Buffer): void => {
      seen = (seen + c.toString('utf8')).slice(-4096);
      const isPrompt = become?.method === 'su' ? SU_PROMPT.test(seen) : seen.endsWith(prompt);
      if (!isPrompt) return;
      seen = '';
      prompts++;
      const password = become?.password;
      if (password === undefined) failure = 'a password is required';
      else if (prompts > 1) failure = 'incorrect password';
      if (failure || password === undefined) return this.transport.destroy();
      this.transport.stdin.write(`${password}\n`);
    };
    const watching = become !== undefined;
    if (watching) {
      this.transport.stderr.on('data', watch);
      this.transport.stdout.on('data', watch);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.out.readUntil(marker.ready(readyToken)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
        }),
      ]);
    } catch (e) {
      this.transport.destroy();
      await Promise.race([this.closed, new Promise((r) => setTimeout(r, 5000))]);
      const detail = failure ?? cleanStderr(seen, prompt) ?? (e as Error).message;
      if (!become) throw new SessionClosedError(`could not start /bin/sh on ${this.describe}: ${detail}`);
      throw new BecomeError(
        `become (${become.method} to ${become.user || 'root'}) failed on ${this.describe}: ${detail}`,
        detail.includes('password') ? 'set ansible_become_password / --ask-become-pass, or allow NOPASSWD' : undefined,
      );
    } finally {
      clearTimeout(timer);
      if (watching) {
        this.transport.stderr.off('data', watch);
        this.transport.stdout.off('data', watch);
      }
    }
    this.out.discard();
    this.err.discard();
    this.transport.stdin.write(sessionSetupScript);
  }

  async run(cmd: ShellCommand, opts: CommandScriptOptions, timeoutMs: number): Promise<ExecResult> {
    if (this.dead) throw new SessionClosedError(`shell session on ${this.describe} ended`);
    const token = newToken();
    const script = commandScript(token, cmd, opts);
    const body = Promise.all([this.readFramed(this.out, token), this.readFramed(this.err, token)]);
    this.transport.stdin.write(script);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const interrupted = new Promise<'interrupted'>((resolve) => {
      this.stopRunning = () => resolve('interrupted');
    });
    body.catch(() => undefined); // a timed-out body's rejection is not interesting
    let r: Awaited<typeof body> | 'timeout' | 'interrupted';
    try {
      r = await Promise.race([body, timedOut, interrupted]);
      if (r !== 'timeout' && r !== 'interrupted') {
        const [o, e] = r;
        return { rc: o.rc, stdout: o.text, stderr: e.text };
      }
    } finally {
      clearTimeout(timer);
      this.stopRunning = undefined;
    }
    await this.killRunning();
    if (r === 'interrupted') throw new InterruptedError(`interrupted: the command's processes on ${this.describe} were killed`);
    throw new CommandTimeoutError(`command timed out after ${timeoutMs / 1000}s on ${this.describe} and was killed`);
  }

  /** The run is being interrupted: kill the running command's process group, if any. */
  interrupt(): void {
    this.stopRunning?.();
  }

  close(): void {
    if (!this.dead) this.transport.stdin.end();
    this.dead = true;
    this.transport.destroy();
  }

  private async readFramed(r: MarkerReader, token: string): Promise<{ text: string; rc: number }> {
    await r.readUntil(marker.start(token));
    const { before, extra } = await r.readUntil(marker.end(token), 4);
    return { text: before.toString('utf8'), rc: Number(extra.subarray(0, 3).toString('ascii')) };
  }

  /** TERM the command's process group; if the session does not re-sync in time, end it. */
  private async killRunning(): Promise<void> {
    this.out.cancel();
    this.err.cancel();
    if (this.dead) return;
    const kt = newToken();
    const synced = Promise.all([this.out.readUntil(marker.killed(kt)), this.err.readUntil(marker.killed(kt))]);
    synced.catch(() => undefined);
    this.transport.stdin.write(killScript(kt));
    let timer: NodeJS.Timeout | undefined;
    const ok = await Promise.race([
      synced.then(() => true, () => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), KILL_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!ok && !this.dead) {
      this.transport.stdin.write(killSessionScript);
      this.close();
    }
  }
}

function cleanStderr(seen: string, prompt: string): string | undefined {
  const s = seen.split(prompt).join('').trim();
  return s === '' ? undefined : s.split('\n').slice(-3).join(' ');
}
