/**
 * SshConnection: one ssh2 TCP connection per host for the whole run; commands run in
 * persistent `/bin/sh` sessions (one pool per identity), files move over one SFTP channel.
 */
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { ConnectError, InterruptedError, KelpieError } from '../errors.js';
import type { ShellCommand } from '../shell/quote.js';
import { acquireJump, type JumpLease } from './jump.js';
import { identityKey, launchCommand, newToken } from './script.js';
import { dial, forwardThrough, whereOf, type SshClient } from './ssh-dial.js';
import { handshakeLimiter } from './limiter.js';
import { ChannelBudget, ChannelRefusedError, SessionPool } from './pool.js';
import { SessionClosedError, ShellSession } from './session.js';
import { explainWriteFailure, SFTP_NO_SUCH_FILE } from './sftp-status.js';
import type { BecomeSpec, Connection, ConnectionOptions, ExecOptions, ExecResult } from './types.js';

const MAX_CHANNELS = 8;
const OPEN_RETRIES = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function isOpenRefusal(e: unknown): boolean {
  return e instanceof Error && e.message.includes('Channel open failure');
}

export class SshConnection implements Connection {
  readonly host: string;
  readonly user: string;
  private client: SshClient | undefined;
  private connecting: Promise<void> | undefined;
  private budget: ChannelBudget;
  private pool: SessionPool;
  private sftp: Promise<SFTPWrapper> | undefined;
  private readonly where: string;
  private readonly become = new Map<string, BecomeSpec | undefined>();
  /** Set by interrupt(): transfers that fail from now on were aborted by it. */
  private interrupted = false;
  /** Gives back this connection's reference to its jump host's connection (ProxyJump). */
  private releaseJump: () => void = () => undefined;
  /** Fails the uploads in flight: called once their SFTP channel has closed. */
  private readonly uploadAborts = new Set<() => void>();

  constructor(private readonly opts: ConnectionOptions) {
    this.host = opts.host;
    this.user = opts.user;
    this.where = opts.jump ? `${whereOf(opts)} via ${opts.jump.host}` : whereOf(opts);
    this.budget = new ChannelBudget(Math.min(MAX_CHANNELS, Math.max(1, opts.maxChannels)));
    this.pool = this.newPool();
  }

  /** Channels open now and the most ever open at once on this connection. */
  channelStats(): { open: number; peak: number; cap: number } {
    return { open: this.budget.used, peak: this.budget.peak, cap: this.budget.cap };
  }

  connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.handshake().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async exec(cmd: ShellCommand, o: ExecOptions = {}): Promise<ExecResult> {
    await this.connect();
    const id = identityKey(o.become);
    this.become.set(id, o.become);
    try {
      return await this.pool.run(id, cmd, o, this.opts.commandTimeoutMs);
    } catch (e) {
      if (e instanceof SessionClosedError && !this.client) {
        throw new ConnectError(`connection to ${this.where} lost while running a command`, { cause: e });
      }
      throw e;
    }
  }

  async readFile(path: string): Promise<Buffer | null> {
    const sftp = await this.sftpChannel();
    return new Promise((resolve, reject) => {
      sftp.readFile(path, (err: (Error & { code?: number }) | null | undefined, data: Buffer) => {
        if (!err) resolve(data);
        else if (err.code === SFTP_NO_SUCH_FILE) resolve(null);
        else if (!this.client) reject(new ConnectError(`connection to ${this.where} lost while reading ${path}`, { cause: err }));
        else reject(new KelpieError('module', `read ${path} on ${this.host}: ${err.message}`, { cause: err }));
      });
    });
  }

  async writeFile(path: string, data: Buffer, mode?: number): Promise<void> {
    const sftp = await this.sftpChannel();
    const fail = async (err: Error): Promise<KelpieError> => {
      if (this.interrupted) return new InterruptedError(`interrupted: the upload of ${path} to ${this.host} was aborted`);
      if (!this.client) return new ConnectError(`connection to ${this.where} lost while writing ${path}`, { cause: err });
      const why = await explainWriteFailure(err, path, data.length, (cmd) => this.exec(cmd));
      return new KelpieError('module', `write ${path} on ${this.host}: ${why}`, { cause: err });
    };
    const wo = mode === undefined ? {} : { mode };
    let abort: () => void = () => undefined;
    const aborted = new Promise<Error>((resolve) => (abort = () => resolve(new Error('aborted'))));
    this.uploadAborts.add(abort);
    let err: Error | undefined;
    try {
      err = await Promise.race([new Promise<Error | undefined>((resolve) => sftp.writeFile(path, data, wo, (e) => resolve(e ?? undefined))), aborted]);
    } finally {
      this.uploadAborts.delete(abort);
    }
    // the mode given at open only applies when the file is created
    if (!err && mode !== undefined) err = await new Promise<Error | undefined>((resolve) => sftp.chmod(path, mode, (e) => resolve(e ?? undefined)));
    if (err) throw await fail(err);
  }

  interrupt(): void {
    this.interrupted = true;
    this.pool.interruptAll();
    // End the SFTP channel: the transfers in flight fail once it has closed, that is once the
    // server side has stopped writing, so removing their temp files afterwards is final.
    // A later transfer opens a new channel.
    const sftp = this.sftp;
    this.sftp = undefined;
    void sftp?.then((s) => {
      s.once('close', () => {
        for (const abort of this.uploadAborts) abort();
      });
      s.end();
    }).catch(() => undefined);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.dropConnection();
    if (c) c.end();
    // the bastion may close now if this was its last target, without waiting for 'close'
    this.releaseJump();
  }

  private newPool(): SessionPool {
    return new SessionPool(this.budget, (id) => this.openSession(id));
  }

  private dropConnection(): void {
    this.client = undefined;
    this.pool.closeAll();
    this.sftp = undefined;
    this.budget = new ChannelBudget(this.budget.cap);
    this.pool = this.newPool();
  }

  /**
   * Handshakes directly, or through the jump host's shared connection (ProxyJump). The jump
   * is held before entering the handshake limiter, so targets waiting for a slot never hold
   * the slot their bastion needs.
   */
  private async handshake(): Promise<void> {
    const o = this.opts;
    let jump: JumpLease | undefined;
    if (o.jump) {
      try {
        jump = await acquireJump(o.jump);
      } catch (e) {
        const err = e as ConnectError;
        throw new ConnectError(`${this.where}: ${err.message}`, { code: err.code as 'connect', ...(err.hint ? { hint: err.hint } : {}), cause: e });
      }
    }
    const lease = jump;
    let client: SshClient;
    try {
      client = await handshakeLimiter.run(async () => dial(o, this.where, lease ? await forwardThrough(lease.client, lease.where, o) : undefined));
    } catch (e) {
      lease?.release();
      throw e;
    }
    this.client = client;
    this.releaseJump = () => lease?.release();
    client.once('close', () => {
      if (this.client === client) this.dropConnection();
      lease?.release();
    });
  }

  /**
   * Opens a channel. A refusal (MaxSessions reached) while we hold other channels lowers
   * the cap and sends the caller back to the pool to reuse one; with nothing else open it
   * is retried here with backoff. Never reported as unreachable.
   */
  private async channel<T>(open: (c: SshClient, cb: (err: Error | undefined, ch: T) => void) => void): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = this.client;
      if (!client) throw new ConnectError(`connection to ${this.where} lost`);
      try {
        return await new Promise<T>((resolve, reject) => open(client, (err, ch) => (err ? reject(err) : resolve(ch))));
      } catch (e) {
        if (!isOpenRefusal(e)) throw e;
        if (this.budget.used > 1) {
          this.budget.lowerCapTo(this.budget.used - 1);
          throw new ChannelRefusedError(e);
        }
        if (attempt >= OPEN_RETRIES) throw new KelpieError('module', `${this.where}: server keeps refusing new channels`, { cause: e });
        await sleep(Math.min(2000, 25 * 2 ** attempt));
      }
    }
  }

  private async openSession(id: string): Promise<ShellSession> {
    const become = this.become.get(id);
    const ready = newToken();
    const prompt = `[kelpie-become-${newToken()}] `;
    const cmd = launchCommand(ready, become, prompt).text;
    const ch = await this.channel<ClientChannel>((c, cb) => c.exec(cmd, cb));
    const session = new ShellSession(
      {
        stdin: ch,
        stdout: ch,
        stderr: ch.stderr,
        onClose: (cb) => ch.once('close', cb),
        destroy: () => ch.close(),
      },
      id,
      this.where,
    );
    await session.start(ready, become, prompt, this.opts.connectTimeoutMs);
    return session;
  }

  private sftpChannel(): Promise<SFTPWrapper> {
    this.sftp ??= this.openSftp().catch((e: unknown) => {
      this.sftp = undefined;
      throw e;
    });
    return this.sftp;
  }

  /** One SFTP channel per connection, counted in the channel budget for its lifetime. */
  private async openSftp(): Promise<SFTPWrapper> {
    await this.connect();
    for (;;) {
      await this.pool.reserveChannel();
      const budget = this.budget;
      try {
        const sftp = await this.channel<SFTPWrapper>((c, cb) => c.sftp(cb));
        sftp.once('close', () => {
          budget.give();
          if (this.budget === budget) this.sftp = undefined; // not a newer connection's channel
        });
        return sftp;
      } catch (e) {
        budget.give();
        if (!(e instanceof ChannelRefusedError)) throw e;
      }
    }
  }
}
