/** Connection factory and the mapping from Ansible's connection variables to options. */
import { homedir, userInfo } from 'node:os';
import { ConfigError } from '../errors.js';
import { LocalConnection } from './local.js';
import { SshConnection } from './ssh.js';
import { parseSshArgs, type SshArgSettings } from './sshArgs.js';
import type { Connection, ConnectionOptions } from './types.js';

export type ConnectionKind = 'ssh' | 'local';
/** Run-wide defaults: ansible.cfg, the CLI (`-u`, `-c`, `--private-key` …). */
export type ConnectionDefaults = Partial<ConnectionOptions> & { connection?: string };

export type ResolvedConnectionOptions = ConnectionOptions & {
  connection: ConnectionKind;
  /** ssh arguments of ansible_ssh_common_args/_extra_args that kelpie does not apply (said once per host). */
  ignoredSshArgs?: string[];
};

export { SshConnection } from './ssh.js';
export { LocalConnection } from './local.js';
export { BecomeError, SessionClosedError } from './session.js';
export { setHandshakeConcurrency } from './limiter.js';
export type * from './types.js';

export function createConnection(opts: ResolvedConnectionOptions): Connection {
  if (opts.connection === 'local') return new LocalConnection({ host: opts.host, commandTimeoutMs: opts.commandTimeoutMs });
  return new SshConnection(opts);
}

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f']);

function first(vars: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return vars[n];
  return undefined;
}

function asString(host: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new ConfigError(`host '${host}': ${name} must be a string, got ${typeof v}`);
}

function asInt(host: string, name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`host '${host}': ${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

function asBool(host: string, name: string, v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new ConfigError(`host '${host}': ${name} must be a boolean, got ${JSON.stringify(v)}`);
}

function expandHome(p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  return p === '~' ? homedir() : p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

/**
 * Reads ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file,
 * ansible_password / ansible_ssh_pass, ansible_connection, ansible_host_key_checking,
 * ansible_ssh_timeout, kelpie_known_hosts and kelpie_server_alive_interval / _count_max
 * (seconds, count: how soon a link that stopped answering fails its host), and the ssh
 * options of ansible_ssh_common_args / ansible_ssh_extra_args (sshArgs.ts). An explicit
 * variable wins over an ssh option, as Ansible's own `-o User=…` comes before the common args.
 */
export function connectionOptionsFromVars(
  host: string,
  vars: Record<string, unknown>,
  defaults: ConnectionDefaults,
): ResolvedConnectionOptions {
  const kind = asString(host, 'ansible_connection', vars['ansible_connection']) ?? defaults.connection ?? 'ssh';
  let ssh: SshArgSettings;
  try {
    ssh = parseSshArgs(
      asString(host, 'ansible_ssh_common_args', vars['ansible_ssh_common_args']),
      asString(host, 'ansible_ssh_extra_args', vars['ansible_ssh_extra_args']),
    );
  } catch (e) {
    throw new ConfigError(`host '${host}': ansible_ssh_common_args/ansible_ssh_extra_args: ${(e as Error).message}`);
  }
  let connection: ConnectionKind;
  if (kind === 'local') connection = 'local';
  else if (['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh'].includes(kind)) connection = 'ssh';
  else throw new ConfigError(`host '${host}': ansible_connection '${kind}' is not supported (kelpie supports ssh and local)`);

  const timeoutSec = asInt(host, 'ansible_ssh_timeout', first(vars, ['ansible_ssh_timeout', 'ansible_timeout'])) ?? ssh.connectTimeoutSec;
  const privateKeyFile = expandHome(
    asString(host, 'ansible_ssh_private_key_file', first(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file'])) ??
      ssh.identityFile ??
      defaults.privateKeyFile,
  );
  const password = asString(host, 'ansible_password', first(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'])) ?? defaults.password;
  const knownHostsFile = expandHome(asString(host, 'kelpie_known_hosts', vars['kelpie_known_hosts']) ?? ssh.knownHostsFile ?? defaults.knownHostsFile);
  const checking = asBool(host, 'ansible_host_key_checking', first(vars, ['ansible_host_key_checking', 'ansible_ssh_host_key_checking']));

  const opts: ResolvedConnectionOptions = {
    connection,
    host,
    address: asString(host, 'ansible_host', first(vars, ['ansible_host', 'ansible_ssh_host'])) ?? defaults.address ?? host,
    port: asInt(host, 'ansible_port', first(vars, ['ansible_port', 'ansible_ssh_port'])) ?? ssh.port ?? defaults.port ?? 22,
    user: asString(host, 'ansible_user', first(vars, ['ansible_user', 'ansible_ssh_user'])) ?? ssh.user ?? defaults.user ?? userInfo().username,
    // host_key_checking = False (variable or ansible.cfg) makes Ansible pass StrictHostKeyChecking=no before the common args
    hostKeyChecking: checking ?? (defaults.hostKeyChecking === false ? false : ssh.hostKeyChecking) ?? defaults.hostKeyChecking ?? true,
    acceptNewHostKeys: (defaults.acceptNewHostKeys ?? false) || ssh.acceptNew === true,
    connectTimeoutMs: timeoutSec !== undefined ? timeoutSec * 1000 : (defaults.connectTimeoutMs ?? 10000),
    commandTimeoutMs: defaults.commandTimeoutMs ?? 3600_000,
    maxChannels: Math.min(8, Math.max(1, defaults.maxChannels ?? 8)),
  };
  if (privateKeyFile !== undefined) opts.privateKeyFile = privateKeyFile;
  if (password !== undefined) opts.password = password;
  if (knownHostsFile !== undefined) opts.knownHostsFile = knownHostsFile;
  if (defaults.agentSocket !== undefined) opts.agentSocket = defaults.agentSocket;
  // an unresponsive link (cable, firewall, frozen host) is found by keepalives, not by TCP
  const aliveSec = asInt(host, 'kelpie_server_alive_interval', vars['kelpie_server_alive_interval']) ?? ssh.serverAliveIntervalSec;
  const aliveMax = asInt(host, 'kelpie_server_alive_count_max', vars['kelpie_server_alive_count_max']) ?? ssh.serverAliveCountMax;
  const keepaliveIntervalMs = aliveSec !== undefined ? aliveSec * 1000 : defaults.keepaliveIntervalMs;
  const keepaliveCountMax = aliveMax ?? defaults.keepaliveCountMax;
  if (keepaliveIntervalMs !== undefined) opts.keepaliveIntervalMs = keepaliveIntervalMs;
  if (keepaliveCountMax !== undefined) opts.keepaliveCountMax = keepaliveCountMax;
  if (connection === 'ssh' && ssh.ignored.length) opts.ignoredSshArgs = ssh.ignored;
  if (opts.port < 1 || opts.port > 65535) throw new ConfigError(`host '${host}': ansible_port ${opts.port} is out of range`);
  return opts;
}
