/**
 * One ssh2 handshake: over TCP, or over a stream a jump host forwarded (ProxyJump). Host keys
 * are verified the same way on both paths; errors say which host failed and how.
 */
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { ConnectError } from '../errors.js';
import { authMethods } from './ssh-auth.js';
import { ssh2lib } from './ssh2lib.js';
import { hostKeyVerifier, type HostKeyCheck } from './ssh-hostkey.js';
import type { ConnectionOptions } from './types.js';

export type SshClient = Client;

/** `web1 (10.0.0.5:22)`, or `jump host bastion (10.0.0.1:22)`. */
export function whereOf(o: ConnectionOptions, role: 'target' | 'jump' = 'target'): string {
  return `${role === 'jump' ? 'jump host ' : ''}${o.host} (${o.address}:${o.port})`;
}

function mapError(o: ConnectionOptions, where: string, err: Error & { level?: string }): ConnectError {
  const msg = err.message;
  switch (err.level) {
    case 'client-timeout':
      return new ConnectError(`${where}: timed out connecting after ${o.connectTimeoutMs / 1000}s`, { code: 'timeout', cause: err });
    case 'client-authentication':
      return new ConnectError(`${where}: authentication failed for user '${o.user}' (${msg})`, {
        code: 'auth',
        hint: 'check ansible_user, ansible_ssh_private_key_file / ansible_password, or ssh-agent',
        cause: err,
      });
    case 'client-socket':
      return new ConnectError(`${where}: cannot connect: ${msg}`, { cause: err });
    default:
      return new ConnectError(`${where}: SSH handshake failed: ${msg}`, { cause: err });
  }
}

/**
 * Asks the jump host to open a TCP stream to the target (a direct-tcpip channel). Bounded by
 * the target's connect timeout: a target the jump host cannot reach must not hang the run.
 */
export function forwardThrough(jump: SshClient, jumpWhere: string, o: ConnectionOptions): Promise<ClientChannel> {
  const where = whereOf(o);
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new ConnectError(`${where}: timed out after ${o.connectTimeoutMs / 1000}s connecting through ${jumpWhere}`, { code: 'timeout' }));
    }, o.connectTimeoutMs);
    jump.forwardOut('127.0.0.1', 0, o.address, o.port, (err, stream) => {
      clearTimeout(timer);
      if (done) {
        if (!err) stream.close();
        return;
      }
      if (err) reject(new ConnectError(`${where}: cannot connect through ${jumpWhere}: ${err.message.replace(/^\(SSH\) /, '')}`, { cause: err }));
      else resolve(stream);
    });
  });
}

/**
 * Handshakes with the host in `o` (over `sock` when given) and resolves with the ready
 * client. After ready, errors are left to the 'close' that follows them.
 */
export function dial(o: ConnectionOptions, where: string, sock?: Duplex): Promise<SshClient> {
  const check: HostKeyCheck = hostKeyVerifier(o, where);
  const cfg: ConnectConfig = {
    host: o.address,
    port: o.port,
    username: o.user,
    readyTimeout: o.connectTimeoutMs,
    keepaliveInterval: o.keepaliveIntervalMs ?? 15000,
    keepaliveCountMax: o.keepaliveCountMax ?? 3,
    authHandler: authMethods(o, where),
    hostVerifier: check.verifier,
    ...(sock ? { sock: sock as ConnectConfig['sock'] } : {}),
    ...(check.algorithms ? { algorithms: { serverHostKey: check.algorithms as ServerHostKeyAlgorithm[] } } : {}),
  };
  return new Promise<SshClient>((resolve, reject) => {
    const client = new (ssh2lib().Client)();
    let settled = false;
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return; // after ready, 'close' follows and the owner drops the connection
      settled = true;
      client.end();
      reject(check.failure() ?? mapError(o, where, err));
    });
    client.once('close', () => {
      if (!settled) {
        settled = true;
        reject(check.failure() ?? new ConnectError(`${where}: connection closed during handshake`));
      }
    });
    client.connect(cfg);
  });
}
