/**
 * One host's connection settings from every place Ansible and OpenSSH take them, in the
 * order they apply. Ansible hands ssh a command line built in this order, and ssh keeps the
 * first value it sees of each option, then falls back to its config files:
 *   1. ansible_ssh_args / ansible.cfg [ssh_connection] ssh_args
 *   2. the settings Ansible passes as options: host_key_checking=False, ansible_port,
 *      ansible_ssh_private_key_file (--private-key), ansible_user (-u, remote_user), the timeout
 *   3. ansible_ssh_common_args, then ansible_ssh_extra_args
 *   4. ssh_config: the `-F` file, or ~/.ssh/config then /etc/ssh/ssh_config
 * kelpie reads each layer into the same settings (sshArgs.ts) and keeps the first value.
 */
import { homedir, userInfo } from 'node:os';
import { ConfigError } from '../errors.js';
import { applySetting, parseSshArgs, type SshArgSettings } from './sshArgs.js';
import { defaultSshConfigFiles, expandTokens, sshConfigFor } from './sshConfig.js';
import type { ConnectionOptions } from './types.js';

export type ConnectionKind = 'ssh' | 'local';
/** Run-wide defaults: ansible.cfg, the CLI (`-u`, `-c`, `--private-key`, `--ssh-config` …). */
export type ConnectionDefaults = Partial<ConnectionOptions> & {
  connection?: string;
  /** ansible.cfg [ssh_connection] ssh_args / ssh_common_args / ssh_extra_args. */
  sshArgs?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  /** ssh_config files to read (--ssh-config); default: ~/.ssh/config and /etc/ssh/ssh_config when they exist. */
  sshConfigFiles?: string[];
};

export type ResolvedConnectionOptions = ConnectionOptions & {
  connection: ConnectionKind;
  /** ssh arguments of ansible_ssh_common_args/_extra_args that kelpie does not apply (said once per host). */
  ignoredSshArgs?: string[];
  /** ssh_config keywords that matter but that kelpie does not apply, and notes on the files. */
  sshConfigWarnings?: string[];
};

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f']);
/** A ProxyJump chain longer than this is a loop in ssh_config (a's jump is b, b's is a). */
const MAX_JUMP_DEPTH = 8;

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

/** Layers merged: each field from the first layer that sets it (ssh's first-value-wins). */
function firstOf(layers: SshArgSettings[]): SshArgSettings {
  const out: SshArgSettings = { ignored: [] };
  for (const l of layers) {
    for (const [k, v] of Object.entries(l) as [keyof SshArgSettings, unknown][]) {
      if (k === 'ignored' || v === undefined) continue;
      (out as unknown as Record<string, unknown>)[k] ??= v;
    }
  }
  return out;
}

/** `acceptNew` belongs to the StrictHostKeyChecking value that won, not to any layer. */
function mergeLayers(layers: SshArgSettings[]): SshArgSettings {
  const merged = firstOf(layers);
  const decided = layers.find((l) => l.hostKeyChecking !== undefined);
  if (decided?.acceptNew) merged.acceptNew = true;
  else delete merged.acceptNew;
  return merged;
}

interface ConfigFiles {
  files: string[];
  explicit: boolean;
}

/** ssh_config's settings for the name given to ssh, as one more layer. */
function configLayer(where: string, cf: ConfigFiles, name: string, user: string | undefined): { layer: SshArgSettings; warnings: string[] } {
  let lookup;
  try {
    lookup = sshConfigFor(cf.files, cf.explicit, name, user);
  } catch (e) {
    throw new ConfigError(`${where}: ${(e as Error).message}`);
  }
  const layer: SshArgSettings = { ignored: [] };
  for (const [k, v] of lookup.settings) {
    try {
      applySetting(layer, k, v);
    } catch (e) {
      throw new ConfigError(`${where}: ssh config for '${name}': ${(e as Error).message.replace(/^ssh option /, '')}`);
    }
  }
  // keywords that only tune the ssh binary are not worth a warning on every host
  const warnings = [...lookup.warnings, ...layer.ignored.filter((w) => w.includes('(')).map((w) => `ssh config keyword ${w}`)];
  return { layer, warnings };
}

function parseArgsFor(host: string, what: string, ...texts: (string | undefined)[]): SshArgSettings {
  try {
    return parseSshArgs(...texts);
  } catch (e) {
    throw new ConfigError(`host '${host}': ${what}: ${(e as Error).message}`);
  }
}

/** Fills token-bearing paths (%h, %r, ~) once the host, port and user are known. */
function finishPaths(s: SshArgSettings, name: string, address: string, port: number, user: string): void {
  const t = { host: address, original: name, port, user, localUser: userInfo().username };
  if (s.identityFile !== undefined) s.identityFile = expandHome(expandTokens(s.identityFile, t));
  if (s.knownHostsFile !== undefined) s.knownHostsFile = expandHome(expandTokens(s.knownHostsFile, t));
  if (s.identityAgent !== undefined) s.identityAgent = s.identityAgent === 'SSH_AUTH_SOCK' ? process.env['SSH_AUTH_SOCK'] ?? '' : s.identityAgent === 'none' ? '' : expandHome(s.identityAgent);
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`, one hop of a ProxyJump. */
export function parseJumpHop(word: string): { user?: string; host: string; port?: number } {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:@/]+)(?::(\d+))?\/?$/.exec(word.trim());
  if (!m) throw new Error(`ProxyJump '${word}': expected [user@]host[:port]`);
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`ProxyJump '${word}': port ${port} is out of range`);
  return { ...(m[1] ? { user: m[1] } : {}), host: m[2]!.replace(/^\[|\]$/g, ''), ...(port !== undefined ? { port } : {}) };
}

/**
 * The jump host a ProxyJump value leads through. In `a,b` the target is reached through b,
 * and b through a (b's own ProxyJump is overridden, as ssh does); a single hop's own
 * ProxyJump in ssh_config applies, so chains also come from the config.
 */
function resolveJumpChain(spec: string, cf: ConnectionDefaultsFor, depth: number): ConnectionOptions | undefined {
  if (spec.trim().toLowerCase() === 'none') return undefined;
  if (depth > MAX_JUMP_DEPTH) throw new Error(`ProxyJump chain deeper than ${MAX_JUMP_DEPTH} hops (a loop in ssh_config?)`);
  let via: ConnectionOptions | undefined;
  spec.split(',').forEach((word, i) => {
    via = resolveJumpHop(word, cf, i === 0 ? 'own' : via, depth);
  });
  return via;
}

interface ConnectionDefaultsFor {
  files: ConfigFiles;
  defaults: ConnectionDefaults;
  warnings: string[];
}

/** A jump host is configured by its hop and ssh_config alone: the target's -o options and variables do not reach it (ssh -J). */
function resolveJumpHop(word: string, cf: ConnectionDefaultsFor, via: ConnectionOptions | undefined | 'own', depth: number): ConnectionOptions {
  const hop = parseJumpHop(word);
  const { layer, warnings } = configLayer(`jump host '${hop.host}'`, cf.files, hop.host, hop.user);
  cf.warnings.push(...warnings.map((w) => `jump host '${hop.host}': ${w}`));
  const address = layer.hostName !== undefined ? expandTokens(layer.hostName, { host: hop.host, original: hop.host, port: 0, user: '', localUser: '' }) : hop.host;
  const port = hop.port ?? layer.port ?? 22;
  const user = hop.user ?? layer.user ?? userInfo().username;
  finishPaths(layer, hop.host, address, port, user);
  const d = cf.defaults;
  const jump = via === 'own' ? (layer.proxyJump !== undefined ? resolveJumpChain(layer.proxyJump, cf, depth + 1) : undefined) : via;
  const o: ConnectionOptions = {
    host: hop.host,
    address,
    port,
    user,
    hostKeyChecking: layer.hostKeyChecking ?? true,
    acceptNewHostKeys: (d.acceptNewHostKeys ?? false) || layer.acceptNew === true,
    connectTimeoutMs: layer.connectTimeoutSec !== undefined ? layer.connectTimeoutSec * 1000 : (d.connectTimeoutMs ?? 10000),
    commandTimeoutMs: d.commandTimeoutMs ?? 3600_000,
    maxChannels: 1,
  };
  const knownHostsFile = layer.knownHostsFile ?? d.knownHostsFile;
  if (knownHostsFile !== undefined) o.knownHostsFile = knownHostsFile;
  if (layer.identityFile !== undefined) o.privateKeyFile = layer.identityFile;
  const agent = layer.identityAgent ?? d.agentSocket;
  if (agent !== undefined) o.agentSocket = agent;
  const aliveMs = layer.serverAliveIntervalSec !== undefined ? layer.serverAliveIntervalSec * 1000 : d.keepaliveIntervalMs;
  if (aliveMs !== undefined) o.keepaliveIntervalMs = aliveMs;
  const aliveMax = layer.serverAliveCountMax ?? d.keepaliveCountMax;
  if (aliveMax !== undefined) o.keepaliveCountMax = aliveMax;
  if (jump) o.jump = jump;
  return o;
}

/**
 * Reads ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file,
 * ansible_password / ansible_ssh_pass, ansible_connection, ansible_host_key_checking,
 * ansible_ssh_timeout, kelpie_known_hosts and kelpie_server_alive_interval / _count_max
 * (seconds, count: how soon a link that stopped answering fails its host), the ssh options
 * of ansible_ssh_args / _common_args / _extra_args (sshArgs.ts), and ssh_config.
 */
export function connectionOptionsFromVars(host: string, vars: Record<string, unknown>, defaults: ConnectionDefaults): ResolvedConnectionOptions {
  const kind = asString(host, 'ansible_connection', vars['ansible_connection']) ?? defaults.connection ?? 'ssh';
  let connection: ConnectionKind;
  if (kind === 'local') connection = 'local';
  else if (['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh'].includes(kind)) connection = 'ssh';
  else throw new ConfigError(`host '${host}': ansible_connection '${kind}' is not supported (kelpie supports ssh and local)`);

  const top = parseArgsFor(host, 'ansible_ssh_args', asString(host, 'ansible_ssh_args', vars['ansible_ssh_args']) ?? defaults.sshArgs);
  const common = parseArgsFor(
    host,
    'ansible_ssh_common_args/ansible_ssh_extra_args',
    asString(host, 'ansible_ssh_common_args', vars['ansible_ssh_common_args']) ?? defaults.sshCommonArgs,
    asString(host, 'ansible_ssh_extra_args', vars['ansible_ssh_extra_args']) ?? defaults.sshExtraArgs,
  );
  const checking = asBool(host, 'ansible_host_key_checking', first(vars, ['ansible_host_key_checking', 'ansible_ssh_host_key_checking']));
  const timeoutSec = asInt(host, 'ansible_ssh_timeout', first(vars, ['ansible_ssh_timeout', 'ansible_timeout']));
  const explicit: SshArgSettings = { ignored: [] };
  const port = asInt(host, 'ansible_port', first(vars, ['ansible_port', 'ansible_ssh_port'])) ?? defaults.port;
  const key = asString(host, 'ansible_ssh_private_key_file', first(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file'])) ?? defaults.privateKeyFile;
  const user = asString(host, 'ansible_user', first(vars, ['ansible_user', 'ansible_ssh_user'])) ?? defaults.user;
  const knownHosts = asString(host, 'kelpie_known_hosts', vars['kelpie_known_hosts']);
  // host_key_checking = False (variable or ansible.cfg) makes Ansible pass StrictHostKeyChecking=no before the common args
  const hkc = checking ?? (defaults.hostKeyChecking === false ? false : undefined);
  if (hkc !== undefined) explicit.hostKeyChecking = hkc;
  if (port !== undefined) explicit.port = port;
  if (key !== undefined) explicit.identityFile = key;
  if (user !== undefined) explicit.user = user;
  if (knownHosts !== undefined) explicit.knownHostsFile = knownHosts;
  const timeout = timeoutSec ?? (defaults.connectTimeoutMs !== undefined ? defaults.connectTimeoutMs / 1000 : undefined);
  if (timeout !== undefined) explicit.connectTimeoutSec = timeout;

  // the name given to ssh, which ssh_config's Host patterns match
  const name = asString(host, 'ansible_host', first(vars, ['ansible_host', 'ansible_ssh_host'])) ?? defaults.address ?? host;
  const configFile = top.configFile ?? common.configFile;
  const cf: ConnectionDefaultsFor = {
    files: configFile !== undefined ? { files: [expandHome(configFile)!], explicit: true } : { files: defaults.sshConfigFiles ?? defaultSshConfigFiles(), explicit: defaults.sshConfigFiles !== undefined },
    defaults,
    warnings: [],
  };
  const before = mergeLayers([top, explicit, common]);
  const fromConfig = connection === 'ssh' ? configLayer(`host '${host}'`, cf.files, name, before.user) : { layer: { ignored: [] }, warnings: [] };
  cf.warnings.push(...fromConfig.warnings);
  const ssh = mergeLayers([before, fromConfig.layer]);

  const address = ssh.hostName !== undefined ? expandTokens(ssh.hostName, { host: name, original: name, port: 0, user: '', localUser: '' }) : name;
  const resolvedPort = ssh.port ?? 22;
  const resolvedUser = ssh.user ?? userInfo().username;
  finishPaths(ssh, host, address, resolvedPort, resolvedUser);
  const password = asString(host, 'ansible_password', first(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'])) ?? defaults.password;

  const opts: ResolvedConnectionOptions = {
    connection,
    host,
    address,
    port: resolvedPort,
    user: resolvedUser,
    hostKeyChecking: ssh.hostKeyChecking ?? defaults.hostKeyChecking ?? true,
    acceptNewHostKeys: (defaults.acceptNewHostKeys ?? false) || ssh.acceptNew === true,
    connectTimeoutMs: (ssh.connectTimeoutSec ?? 10) * 1000,
    commandTimeoutMs: defaults.commandTimeoutMs ?? 3600_000,
    maxChannels: Math.min(8, Math.max(1, defaults.maxChannels ?? 8)),
  };
  if (ssh.identityFile !== undefined) opts.privateKeyFile = ssh.identityFile;
  if (password !== undefined) opts.password = password;
  const knownHostsFile = ssh.knownHostsFile ?? expandHome(defaults.knownHostsFile);
  if (knownHostsFile !== undefined) opts.knownHostsFile = knownHostsFile;
  const agent = ssh.identityAgent ?? defaults.agentSocket;
  if (agent !== undefined) opts.agentSocket = agent;
  // an unresponsive link (cable, firewall, frozen host) is found by keepalives, not by TCP
  const aliveSec = asInt(host, 'kelpie_server_alive_interval', vars['kelpie_server_alive_interval']) ?? ssh.serverAliveIntervalSec;
  const aliveMax = asInt(host, 'kelpie_server_alive_count_max', vars['kelpie_server_alive_count_max']) ?? ssh.serverAliveCountMax;
  const keepaliveIntervalMs = aliveSec !== undefined ? aliveSec * 1000 : defaults.keepaliveIntervalMs;
  const keepaliveCountMax = aliveMax ?? defaults.keepaliveCountMax;
  if (keepaliveIntervalMs !== undefined) opts.keepaliveIntervalMs = keepaliveIntervalMs;
  if (keepaliveCountMax !== undefined) opts.keepaliveCountMax = keepaliveCountMax;
  if (connection === 'ssh') {
    const ignored = [...top.ignored, ...common.ignored];
    if (ignored.length) opts.ignoredSshArgs = ignored;
    if (ssh.proxyJump !== undefined) {
      try {
        const jump = resolveJumpChain(ssh.proxyJump, cf, 1);
        if (jump) opts.jump = jump;
      } catch (e) {
        throw e instanceof ConfigError ? e : new ConfigError(`host '${host}': ${(e as Error).message}`);
      }
    }
    if (cf.warnings.length) opts.sshConfigWarnings = cf.warnings;
  }
  if (opts.port < 1 || opts.port > 65535) throw new ConfigError(`host '${host}': ansible_port ${opts.port} is out of range`);
  return opts;
}
