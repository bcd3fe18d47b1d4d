/**
 * Sessions per identity under one channel budget per connection.
 *
 * OpenSSH refuses more than MaxSessions (default 10) channels on a connection, so the
 * budget counts every open channel (shell sessions and SFTP) and never exceeds its cap.
 * A command takes an idle session of its identity, else opens one if a channel is free,
 * else closes an idle session of another identity, else waits for a release.
 */
import type { ShellCommand } from '../shell/quote.js';
import type { ShellSession } from './session.js';
import type { ExecOptions, ExecResult } from './types.js';

export class ChannelBudget {
  used = 0;
  peak = 0;
  private waiters: (() => void)[] = [];
  constructor(public cap: number) {}

  tryTake(): boolean {
    if (this.used >= this.cap) return false;
    this.used++;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  give(): void {
    this.used = Math.max(0, this.used - 1);
    this.notify();
  }

  /** Resolves at the next release (of a channel or of a busy session). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** The server refused a channel: believe it has a lower limit than we assumed. */
  lowerCapTo(n: number): void {
    this.cap = Math.max(1, Math.min(this.cap, n));
  }
}

/** The server refused a channel while we hold others: wait for one of ours instead. */
export class ChannelRefusedError extends Error {
  constructor(cause: unknown) {
    super('channel open refused by the server', { cause });
    this.name = 'ChannelRefusedError';
  }
}

export class SessionPool {
  private readonly idle = new Map<string, ShellSession[]>();
  private readonly all = new Set<ShellSession>();

  constructor(
    private readonly budget: ChannelBudget,
    private readonly open: (identity: string) => Promise<ShellSession>,
  ) {}

  async acquire(identity: string): Promise<ShellSession> {
    for (;;) {
      const list = this.idle.get(identity) ?? [];
      let s: ShellSession | undefined;
      while ((s = list.pop())) {
        if (!s.dead) return s;
        this.forget(s);
      }
      if (this.budget.tryTake()) {
        try {
          const fresh = await this.open(identity);
          this.all.add(fresh);
          return fresh;
        } catch (e) {
          this.budget.give();
          if (e instanceof ChannelRefusedError) continue; // the cap is lower now: reuse or wait
          throw e;
        }
      }
      if (this.evictOneIdle(identity)) continue;
      await this.budget.changed();
    }
  }

  /** Takes a channel for something other than a shell (SFTP), evicting idle shells if needed. */
  async reserveChannel(): Promise<void> {
    for (;;) {
      if (this.budget.tryTake()) return;
      if (this.evictOneIdle('')) continue;
      await this.budget.changed();
    }
  }

  /** Runs one command on an idle (or new) session of this identity, then gives the session back. */
  async run(identity: string, cmd: ShellCommand, o: ExecOptions, defaultTimeoutMs: number): Promise<ExecResult> {
    const session = await this.acquire(identity);
    try {
      const stdin = o.stdin === undefined ? undefined : Buffer.isBuffer(o.stdin) ? o.stdin : Buffer.from(o.stdin);
      return await session.run(
        cmd,
        {
          ...(stdin ? { stdin } : {}),
          ...(o.env ? { env: o.env } : {}),
          ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
          ...(o.probe ? { probe: true } : {}),
        },
        o.timeoutMs ?? defaultTimeoutMs,
      );
    } finally {
      this.release(session);
    }
  }

  release(s: ShellSession): void {
    if (s.dead) this.forget(s);
    else {
      const list = this.idle.get(s.identity) ?? [];
      list.push(s);
      this.idle.set(s.identity, list);
    }
    this.budget.notify();
  }

  /** Kills the command running in every session (sessions stay usable for cleanup). */
  interruptAll(): void {
    for (const s of this.all) s.interrupt();
  }

  closeAll(): void {
    for (const s of this.all) s.close();
    this.all.clear();
    this.idle.clear();
  }

  /** The channel slot returns only when the channel has really closed. */
  private forget(s: ShellSession): void {
    if (!this.all.delete(s)) return;
    const budget = this.budget;
    void s.closed.then(() => budget.give());
  }

  private evictOneIdle(except: string): boolean {
    for (const [id, list] of this.idle) {
      if (id === except) continue;
      const s = list.shift();
      if (!s) continue;
      s.close();
      this.forget(s);
      return true;
    }
    return false;
  }
}
