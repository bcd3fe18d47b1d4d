/**
 * OpenSSH client configuration (~/.ssh/config, /etc/ssh/ssh_config, or the file of `-F`),
 * read with the `ssh-config` package: for one host name, the `Keyword value` pairs its Host
 * and Match blocks give, first value winning as in ssh. The pairs are applied by the same
 * function that reads `-o` options (sshArgs.ts), so a keyword means the same in both places.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig, { type Line } from 'ssh-config';
import { wildcardRegExp } from '../fnmatch.js';

export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/** The files ssh reads when no `-F` is given: the user's, then the system's (first value wins). */
export function defaultSshConfigFiles(): string[] {
  return [join(homedir(), '.ssh', 'config'), SYSTEM_SSH_CONFIG];
}

interface LoadedConfig {
  config: SSHConfig;
  /** Said once, with the first host that reads the file. */
  warnings: string[];
}

const loaded = new Map<string, LoadedConfig>();

/** Forgets the parsed files (a test rewrites a file under the same name). */
export function clearSshConfigCache(): void {
  loaded.clear();
}

function isSection(l: Line): l is Line & { param: string; config: SSHConfig } {
  return 'config' in l;
}

/** An Include's words: `~` is the home directory, relative names are under ~/.ssh (user file) or /etc/ssh (system file). */
function includedFiles(words: string[], fromSystem: boolean): string[] {
  const files: string[] = [];
  for (const w of words) {
    const expanded = w.startsWith('~/') ? join(homedir(), w.slice(2)) : w;
    const path = isAbsolute(expanded) ? expanded : join(fromSystem ? '/etc/ssh' : join(homedir(), '.ssh'), expanded);
    if (!/[*?[]/.test(basename(path))) {
      if (existsSync(path)) files.push(path);
      continue;
    }
    // a wildcard in the file name (conf.d/*.conf): the matches, sorted as glob(3) sorts them
    const re = wildcardRegExp(basename(path), { classes: false });
    let names: string[] = [];
    try {
      names = readdirSync(dirname(path));
    } catch {
      /* a directory that does not exist includes nothing, as in ssh */
    }
    files.push(...names.filter((n) => re.test(n)).sort().map((n) => join(dirname(path), n)));
  }
  return files;
}

function wordsOf(value: string | { val: string }[]): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value.map((v) => v.val);
}

/** Parses one file and splices its top-level Includes in place (ssh reads them where they stand). */
function parseFile(file: string, fromSystem: boolean, warnings: string[], depth: number): Line[] {
  const config = SSHConfig.parse(readFileSync(file, 'utf8'));
  const out: Line[] = [];
  for (const line of config) {
    if (!('param' in line)) continue;
    if (/^include$/i.test(line.param)) {
      if (depth >= 16) throw new Error(`${file}: Include nested too deep (a loop?)`);
      for (const f of includedFiles(wordsOf(line.value), fromSystem)) out.push(...parseFile(f, fromSystem, warnings, depth + 1));
      continue;
    }
    if (isSection(line)) {
      if (line.config.some((l) => 'param' in l && /^include$/i.test(l.param))) warnings.push(`${file}: an Include inside a ${line.param} block is not read by kelpie`);
      if (/^match$/i.test(line.param) && 'criteria' in line && Object.keys(line.criteria).some((k) => k.toLowerCase() === 'exec')) {
        warnings.push(`${file}: 'Match exec' blocks are not evaluated by kelpie (their settings never apply)`);
      }
    }
    out.push(line);
  }
  return out;
}

function load(files: string[], required: boolean): LoadedConfig {
  const key = `${required ? 'F' : 'D'}\0${files.join('\0')}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const warnings: string[] = [];
  const config = new SSHConfig();
  for (const file of files) {
    if (!required && !existsSync(file)) continue;
    try {
      config.push(...parseFile(file, file === SYSTEM_SSH_CONFIG, warnings, 0));
    } catch (e) {
      throw new Error(`cannot read ssh config ${file}: ${(e as Error).message}`);
    }
  }
  const entry = { config, warnings };
  loaded.set(key, entry);
  return entry;
}

export interface SshConfigLookup {
  /** `[Keyword, value]` in the order ssh would apply them (first value wins). */
  settings: [string, string][];
  /** File-level notes (Match exec, nested Include), given once per file set. */
  warnings: string[];
}

/**
 * The settings of `host` (the name given to ssh: ansible_host, or the inventory name) in the
 * given files. `explicit` says the files were named by -F/--ssh-config: then a missing one is
 * an error; the default files may be absent.
 */
export function sshConfigFor(files: string[], explicit: boolean, host: string, user?: string): SshConfigLookup {
  const entry = load(files, explicit);
  const warnings = entry.warnings.splice(0);
  if (entry.config.length === 0) return { settings: [], warnings };
  const computed = entry.config.compute(user === undefined ? { Host: host } : { Host: host, User: user }, { ignoreCase: true, matchExec: false });
  const settings: [string, string][] = [];
  for (const [k, v] of Object.entries(computed)) {
    if (k === 'host') continue;
    if (Array.isArray(v)) {
      // IdentityFile accumulates; UserKnownHostsFile is one keyword with several files
      settings.push([k, k === 'identityfile' ? v[0]! : v.join(' ')]);
    } else settings.push([k, v]);
  }
  return { settings, warnings };
}

/**
 * ssh's `%` tokens in HostName, IdentityFile and UserKnownHostsFile: %h the host name, %n the
 * name as given, %p the port, %r the remote user, %u the local user, %d the home directory.
 */
export function expandTokens(text: string, t: { host: string; original: string; port: number; user: string; localUser: string }): string {
  return text.replace(/%([%hnprud])/g, (_, c: string) => {
    switch (c) {
      case 'h':
        return t.host;
      case 'n':
        return t.original;
      case 'p':
        return String(t.port);
      case 'r':
        return t.user;
      case 'u':
        return t.localUser;
      case 'd':
        return homedir();
      default:
        return '%';
    }
  });
}
