/** ansible.cfg / kelpie.cfg [defaults] and [ssh_connection] in the working directory, and ANSIBLE_* environment. */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { notABoolean, toBool } from '../modules/argspec.js';
import { UsageError } from './parser.js';

export interface FileConfig {
  inventory?: string[];
  rolesPath?: string[];
  forks?: number;
  remoteUser?: string;
  hostKeyChecking?: boolean;
  timeout?: number;
  privateKeyFile?: string;
  vaultPasswordFile?: string;
  /** [ssh_connection] ssh_args / ssh_common_args / ssh_extra_args (ANSIBLE_SSH_ARGS …). */
  sshArgs?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  file?: string;
}

interface IniValue {
  value: string;
  line: number;
  col: number;
}

function parseIni(text: string): Record<string, Record<string, IniValue>> {
  const out: Record<string, Record<string, IniValue>> = {};
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      section = m[1]!.trim();
      return;
    }
    const eq = line.search(/[=:]/);
    if (eq < 0) return;
    const after = line.slice(eq + 1);
    const value = after.trim();
    const col = raw.indexOf(line) + eq + 1 + (after.length - after.trimStart().length) + 1;
    (out[section] ??= {})[line.slice(0, eq).trim()] = { value, line: i + 1, col };
  });
  return out;
}

/** A setting that must be a number: ansible-playbook refuses other text with exit 5, so does kelpie, at its line. */
function positiveInt(file: string | undefined, key: string, v: IniValue): number {
  if (/^\d+$/.test(v.value) && Number(v.value) > 0) return Number(v.value);
  throw new UsageError(`${key} must be a positive integer, got '${v.value}'`, undefined, file ? { file, line: v.line, col: v.col } : undefined);
}

/**
 * host_key_checking: Ansible reads any unknown word as false, which turns host key checking
 * off on a typo. kelpie refuses anything but a boolean spelling (a deliberate difference).
 */
function strictBool(file: string | undefined, key: string, v: IniValue): boolean {
  const b = toBool(v.value);
  if (b !== undefined) return b;
  const { message, hint } = notABoolean(key, v.value);
  throw new UsageError(message, hint, file ? { file, line: v.line, col: v.col } : undefined);
}

export function readConfig(cwd: string, env: NodeJS.ProcessEnv): FileConfig {
  const cfg: FileConfig = {};
  const candidates = [env.ANSIBLE_CONFIG, resolve(cwd, 'kelpie.cfg'), resolve(cwd, 'ansible.cfg')].filter((x): x is string => !!x);
  const file = candidates.find((f) => existsSync(f));
  if (file) {
    cfg.file = file;
    const ini = parseIni(readFileSync(file, 'utf8'));
    const d = ini.defaults ?? {};
    const sc = ini.ssh_connection ?? {};
    if (sc.ssh_args) cfg.sshArgs = sc.ssh_args.value;
    if (sc.ssh_common_args) cfg.sshCommonArgs = sc.ssh_common_args.value;
    if (sc.ssh_extra_args) cfg.sshExtraArgs = sc.ssh_extra_args.value;
    const base = resolve(file, '..');
    const paths = (v: IniValue): string[] => v.value.split(/[,:]/).map((s) => s.trim()).filter(Boolean).map((s) => resolve(base, s.replace(/^~(?=\/)/, env.HOME ?? '~')));
    if (d.inventory?.value) cfg.inventory = paths(d.inventory);
    if (d.roles_path?.value) cfg.rolesPath = paths(d.roles_path);
    if (d.forks?.value) cfg.forks = positiveInt(file, 'forks', d.forks);
    if (d.remote_user?.value) cfg.remoteUser = d.remote_user.value;
    if (d.host_key_checking?.value) cfg.hostKeyChecking = strictBool(file, 'host_key_checking', d.host_key_checking);
    if (d.timeout?.value) cfg.timeout = positiveInt(file, 'timeout', d.timeout);
    if (d.private_key_file?.value) cfg.privateKeyFile = paths(d.private_key_file)[0]!;
    if (d.vault_password_file?.value) cfg.vaultPasswordFile = paths(d.vault_password_file)[0]!;
  }
  if (env.ANSIBLE_ROLES_PATH) cfg.rolesPath = [...env.ANSIBLE_ROLES_PATH.split(delimiter).filter(Boolean).map((p) => resolve(cwd, p)), ...(cfg.rolesPath ?? [])];
  if (env.ANSIBLE_INVENTORY) cfg.inventory = env.ANSIBLE_INVENTORY.split(',').map((p) => resolve(cwd, p.trim()));
  if (env.ANSIBLE_HOST_KEY_CHECKING) cfg.hostKeyChecking = strictBool(undefined, 'ANSIBLE_HOST_KEY_CHECKING', { value: env.ANSIBLE_HOST_KEY_CHECKING, line: 1, col: 1 });
  if (env.ANSIBLE_FORKS) cfg.forks = positiveInt(undefined, 'ANSIBLE_FORKS', { value: env.ANSIBLE_FORKS.trim(), line: 1, col: 1 });
  if (env.ANSIBLE_VAULT_PASSWORD_FILE) cfg.vaultPasswordFile = resolve(cwd, env.ANSIBLE_VAULT_PASSWORD_FILE);
  if (env.ANSIBLE_REMOTE_USER) cfg.remoteUser = env.ANSIBLE_REMOTE_USER;
  if (env.ANSIBLE_SSH_ARGS !== undefined) cfg.sshArgs = env.ANSIBLE_SSH_ARGS;
  if (env.ANSIBLE_SSH_COMMON_ARGS !== undefined) cfg.sshCommonArgs = env.ANSIBLE_SSH_COMMON_ARGS;
  if (env.ANSIBLE_SSH_EXTRA_ARGS !== undefined) cfg.sshExtraArgs = env.ANSIBLE_SSH_EXTRA_ARGS;
  return cfg;
}
