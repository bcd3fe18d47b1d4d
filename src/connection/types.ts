import type { ShellCommand } from '../shell/quote.js';

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface BecomeSpec {
  method: 'sudo' | 'su';
  user: string; // default 'root'
  password?: string;
}

export interface ExecOptions {
  /** Data fed to the command's stdin; otherwise stdin is /dev/null. */
  stdin?: string | Buffer;
  /** Kill the command (not the session) after this many ms. Default: the connection's command timeout. */
  timeoutMs?: number;
  /** Extra environment for this command only. */
  env?: Record<string, string>;
  cwd?: string;
  /** Run as another user through become; the connection keeps one persistent shell per identity. */
  become?: BecomeSpec;
  /**
   * kelpie's own probe script: it runs without the subshell that shields the framing from a
   * command that `exec`s or sets an EXIT trap (one fork less), unless its text mentions either.
   */
  probe?: boolean;
}

export interface FileStat {
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
  mode: number; // permission bits incl. setuid etc. (mode & 0o7777)
  uid: number;
  gid: number;
  mtime: number; // seconds
}

/**
 * One host, one transport, for the whole run. Implementations: ssh (ssh2, one TCP
 * connection, persistent /bin/sh sessions framed by markers, SFTP) and local.
 */
export interface Connection {
  readonly host: string;
  /** Opens the transport (idempotent). Throws ConnectError when unreachable/auth fails. */
  connect(): Promise<void>;
  /** Runs a command through /bin/sh on the host. Never throws for a non-zero rc. */
  exec(cmd: ShellCommand, opts?: ExecOptions): Promise<ExecResult>;
  /** Reads a whole file as the login user (SFTP). null when it does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** Writes a whole file as the login user (SFTP), creating or truncating it. */
  writeFile(path: string, data: Buffer, mode?: number): Promise<void>;
  /** The login user's name on the host. */
  readonly user: string;
  /**
   * The run is being interrupted: kill every command running now (its process group) and
   * abort transfers in flight; those calls reject with InterruptedError. Later calls work,
   * so callers can still remove what they left behind.
   */
  interrupt(): void;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  host: string; // inventory name
  address: string; // ansible_host
  port: number;
  user: string;
  privateKeyFile?: string;
  password?: string;
  knownHostsFile?: string; // default ~/.ssh/known_hosts
  hostKeyChecking: boolean; // default true
  acceptNewHostKeys: boolean; // --ssh-accept-new
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  maxChannels: number; // <= 8
  /** ssh-agent socket; default $SSH_AUTH_SOCK when it exists. */
  agentSocket?: string;
  /** SSH keepalive interval (OpenSSH's ServerAliveInterval); default 15000 ms. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives after which the link counts as dead (ServerAliveCountMax); default 3. */
  keepaliveCountMax?: number;
  /**
   * ProxyJump: the host this connection is tunnelled through (ssh2 forwardOut over one shared
   * connection to it), itself possibly behind another.
   */
  jump?: ConnectionOptions;
}
