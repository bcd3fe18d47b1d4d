/** ansible.cfg / kelpie.cfg [defaults] in the working directory, and ANSIBLE_* environment. */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

export interface FileConfig {
  inventory?: string[];
  rolesPath?: string[];
  forks?: number;
  remoteUser?: string;
  hostKeyChecking?: boolean;
  timeout?: number;
  privateKeyFile?: string;
  file?: string;
}

function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      section = m[1]!.trim();
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

const yes = (v: string): boolean => /^(1|yes|true|on)$/i.test(v.trim());

export function readConfig(cwd: string, env: NodeJS.ProcessEnv): FileConfig {
  const cfg: FileConfig = {};
  const candidates = [env.ANSIBLE_CONFIG, resolve(cwd, 'kelpie.cfg'), resolve(cwd, 'ansible.cfg')].filter((x): x is string => !!x);
  const file = candidates.find((f) => existsSync(f));
  if (file) {
    cfg.file = file;
    const d = parseIni(readFileSync(file, 'utf8')).defaults ?? {};
    const base = resolve(file, '..');
    const paths = (v: string): string[] => v.split(/[,:]/).map((s) => s.trim()).filter(Boolean).map((s) => resolve(base, s.replace(/^~(?=\/)/, env.HOME ?? '~')));
    if (d.inventory) cfg.inventory = paths(d.inventory);
    if (d.roles_path) cfg.rolesPath = paths(d.roles_path);
    if (d.forks) cfg.forks = Number(d.forks);
    if (d.remote_user) cfg.remoteUser = d.remote_user;
    if (d.host_key_checking) cfg.hostKeyChecking = yes(d.host_key_checking);
    if (d.timeout) cfg.timeout = Number(d.timeout);
    if (d.private_key_file) cfg.privateKeyFile = paths(d.private_key_file)[0]!;
  }
  if (env.ANSIBLE_ROLES_PATH) cfg.rolesPath = [...env.ANSIBLE_ROLES_PATH.split(delimiter).filter(Boolean).map((p) => resolve(cwd, p)), ...(cfg.rolesPath ?? [])];
  if (env.ANSIBLE_INVENTORY) cfg.inventory = env.ANSIBLE_INVENTORY.split(',').map((p) => resolve(cwd, p.trim()));
  if (env.ANSIBLE_HOST_KEY_CHECKING) cfg.hostKeyChecking = yes(env.ANSIBLE_HOST_KEY_CHECKING);
  if (env.ANSIBLE_FORKS) cfg.forks = Number(env.ANSIBLE_FORKS);
  if (env.ANSIBLE_REMOTE_USER) cfg.remoteUser = env.ANSIBLE_REMOTE_USER;
  return cfg;
}
