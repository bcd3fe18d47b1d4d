/**
 * What `kelpie playbook` and the ad-hoc `kelpie run` share before hosts are touched: the
 * inventory (-i, ansible.cfg), --limit and --shard, extra vars, become and connection options.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunSettings } from '../api/run.js';
import type { ConnectionDefaults } from '../connection/index.js';
import { loadInventory, type Inventory } from '../inventory/index.js';
import type { FileConfig } from './config.js';
import { parseExtraVars } from './extraVars.js';
import { askSecret, type Io } from './io.js';
import type { RunFlags } from './options.js';
import { UsageError } from './parser.js';
import { shardExclusions, type Shard } from './shard.js';

export async function inventoryFor(flags: RunFlags, cfg: FileConfig, io: Io): Promise<Inventory> {
  const given = (flags.inventory ?? []).map((s) => (s.includes(',') ? s : resolve(io.cwd, s)));
  const sources = given.length ? given : (cfg.inventory ?? (existsSync('/etc/ansible/hosts') ? ['/etc/ansible/hosts'] : []));
  const inventory = await loadInventory(sources.length ? sources : ['localhost,']);
  for (const w of inventory.warnings) io.err(`[WARNING]: ${w}\n`);
  return inventory;
}

/**
 * Checks --limit; false when it leaves no host to run on (ansible-playbook then exits 1; an
 * inventory that was empty to begin with only warns, as there the implicit localhost counts).
 */
export function limitLeavesHosts(inventory: Inventory, limit: string | undefined, io: Io): boolean {
  if (limit === undefined) return true;
  const warned = inventory.warnings.length;
  let targets: string[];
  try {
    targets = inventory.select('all', limit);
  } catch (e) {
    throw new UsageError(`--limit: ${(e as Error).message}`);
  }
  for (const w of inventory.warnings.slice(warned)) io.err(`[WARNING]: ${w}\n`);
  if (!targets.length && inventory.hosts().length) {
    io.err('ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\n');
    return false;
  }
  return true;
}

export interface RunSetup {
  inventory: Inventory;
  extraVars: Record<string, unknown>;
  cfg: FileConfig;
  shard?: Shard;
}

/** The run's settings from the flags every host-running command shares. */
export async function runOptionsFor(flags: RunFlags, s: RunSetup, io: Io): Promise<RunSettings> {
  const { cfg, extraVars } = s;
  let becomePassword: string | undefined;
  if (flags.askBecomePass === true) becomePassword = await askSecret('BECOME password: ', io);
  if (flags.become === true) extraVars.ansible_become ??= true;
  if (flags.becomeUser) extraVars.ansible_become_user ??= flags.becomeUser;
  // from here on the first SIGINT/SIGTERM stops the run cleanly instead of exiting
  const interrupt = io.interrupts?.signal;
  io.interrupts?.claim();
  return {
    inventory: s.inventory,
    checkMode: flags.check === true,
    diffMode: flags.diff === true,
    ...(flags.limit ? { limit: flags.limit } : {}),
    extraVars,
    forks: flags.forks ?? cfg.forks ?? 50,
    verbosity: flags.verbose ?? 0,
    connectionDefaults: connectionDefaultsFor(flags, cfg, io),
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    ...(cfg.rolesPath ? { rolesPath: cfg.rolesPath } : {}),
    ...(flags.exitChanged ? { exitChanged: true } : {}),
    ...(s.shard ? { excludedHosts: shardExclusions(s.inventory, flags.limit, s.shard) } : {}),
    ...(interrupt ? { interrupt } : {}),
    ...progressInterval(io.env),
  };
}

/**
 * The run-wide connection settings: -u, -c, --private-key, -T, --ssh-config and ansible.cfg.
 * A timeout is passed only when one was given, so ssh_config's ConnectTimeout can apply.
 */
export function connectionDefaultsFor(flags: Pick<RunFlags, 'timeout' | 'user' | 'privateKey' | 'connection' | 'sshAcceptNew' | 'sshConfig'>, cfg: FileConfig, io: Io): ConnectionDefaults {
  const timeoutS = flags.timeout ?? cfg.timeout;
  const user = flags.user ?? cfg.remoteUser;
  const key = flags.privateKey ?? cfg.privateKeyFile;
  return {
    hostKeyChecking: cfg.hostKeyChecking ?? true,
    acceptNewHostKeys: flags.sshAcceptNew === true,
    ...(timeoutS !== undefined ? { connectTimeoutMs: timeoutS * 1000 } : {}),
    ...(user ? { user } : {}),
    ...(flags.connection ? { connection: flags.connection } : {}),
    ...(key ? { privateKeyFile: resolve(io.cwd, key) } : {}),
    ...(flags.sshConfig !== undefined ? { sshConfigFiles: [resolve(io.cwd, flags.sshConfig)] } : {}),
    ...(cfg.sshArgs !== undefined ? { sshArgs: cfg.sshArgs } : {}),
    ...(cfg.sshCommonArgs !== undefined ? { sshCommonArgs: cfg.sshCommonArgs } : {}),
    ...(cfg.sshExtraArgs !== undefined ? { sshExtraArgs: cfg.sshExtraArgs } : {}),
  };
}

/** KELPIE_PROGRESS_INTERVAL (seconds; 0 turns it off): how often a long task names the hosts it waits for. */
function progressInterval(env: NodeJS.ProcessEnv): { progressIntervalMs?: number } {
  const v = env.KELPIE_PROGRESS_INTERVAL;
  if (v === undefined || v === '') return {};
  const s = Number(v);
  if (!Number.isFinite(s) || s < 0) throw new UsageError(`KELPIE_PROGRESS_INTERVAL must be a number of seconds, got '${v}'`);
  return { progressIntervalMs: s * 1000 };
}

export { parseExtraVars };
