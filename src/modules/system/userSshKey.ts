/**
 * The user module's generate_ssh_key: where the key goes, whether ssh-keygen has to run, the
 * command that runs it, and the three keys Ansible reports of the key (ssh_fingerprint,
 * ssh_key_file, ssh_public_key). Decided as Ansible's user module decides on Linux: an
 * existing private or public key file is kept unless `force` is set.
 */
import { posix } from 'node:path';
import { sh, shellJoin, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { ReadContext, ResultData } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import type { UserArgs } from './userCommands.js';

const keyFile = (a: UserArgs): string => a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`;

/** Whether the key file is relative to the account's home (so needs the home to exist). */
export const keyInHome = (a: UserArgs): boolean => !posix.isAbsolute(keyFile(a));

/** The key file: ssh_key_file (default .ssh/id_<type>), relative to the account's home. */
export function sshKeyPath(a: UserArgs, home: string): string {
  return keyInHome(a) ? posix.join(home, keyFile(a)) : keyFile(a);
}

/** What is on the host at the key's path. */
export interface SshKeyState {
  path: string;
  dirExists: boolean;
  keyExists: boolean;
  pubExists: boolean;
  /** `ssh-keygen -l` of the key: its output, or its error; empty when there is no key */
  fingerprint: string;
  /** the .pub file's text, trimmed; null when it cannot be read */
  publicKey: string | null;
}

export async function readSshKey(ctx: ReadContext, path: string): Promise<SshKeyState> {
  const pub = `${path}.pub`;
  const r = await probeBatch(ctx, {
    dir: sh`test -d ${posix.dirname(path)}`,
    key: sh`test -e ${path}`,
    pub: sh`test -e ${pub}`,
    // Ansible asks ssh-keygen only when the key exists, and reports its error when it fails
    fingerprint: { cmd: sh`if test -e ${path}; then ssh-keygen -l -f ${path}; fi`, mergeStderr: true },
    publicKey: sh`cat ${pub}`,
  });
  return {
    path,
    dirExists: r.dir.rc === 0,
    keyExists: r.key.rc === 0,
    pubExists: r.pub.rc === 0,
    fingerprint: r.fingerprint.stdout.trim(),
    publicKey: r.publicKey.rc === 0 ? r.publicKey.stdout.trim() : null,
  };
}

/**
 * Whether ssh-keygen runs: always where the key's directory is missing (it is created
 * first), else only where neither key file exists, or with `force`.
 */
export function keyNeedsGenerating(a: UserArgs, s: SshKeyState): boolean {
  return !s.dirExists || a.force || (!s.keyExists && !s.pubExists);
}

/**
 * Ansible's warnings about key files that exist where the key goes: kept (no force, and
 * then ssh-keygen does not run) or overwritten (force). None where the directory is missing.
 */
export function keyFileWarnings(a: UserArgs, s: SshKeyState): string[] {
  if (!s.dirExists) return [];
  const found = (kind: string, path: string): string => `Found existing ssh key ${kind} file "${path}", no force, so skipping ssh-keygen generation`;
  const overwriting = (kind: string, path: string): string => `Overwriting existing ssh key ${kind} file "${path}"`;
  const warnings: string[] = [];
  if (s.keyExists) {
    if (!a.force) return [found('private', s.path)];
    warnings.push(overwriting('private', s.path));
  }
  if (s.pubExists) warnings.push(a.force ? overwriting('public', `${s.path}.pub`) : found('public', `${s.path}.pub`));
  return warnings;
}

/** The result's key fields, and the warnings about key files that were there. */
export function sshKeyResult(s: SshKeyState, warnings: readonly string[]): ResultData {
  return { ssh_fingerprint: s.fingerprint, ssh_key_file: s.path, ssh_public_key: s.publicKey, ...(warnings.length ? { warnings } : {}) };
}

/**
 * Creates the key directory (mode 0700, the account's) where missing, removes the old key
 * under `force`, and runs ssh-keygen. The passphrase goes to ssh-keygen's stdin (see
 * `sshKeygenStdin`), never onto the command line. ssh_key_comment's default, like Ansible's,
 * names the host the key is made on.
 */
export function sshKeygenCommand(a: UserArgs, path: string, owner: { uid: number; gid: number }): ShellCommand {
  const dir = posix.dirname(path);
  const comment = a.ssh_key_comment !== undefined ? sh`${a.ssh_key_comment}` : shellRaw(`"ansible-generated on $(uname -n)"`);
  const keygen = [
    sh`ssh-keygen -q -t ${a.ssh_key_type}`,
    ...(a.ssh_key_bits > 0 ? [sh`-b ${a.ssh_key_bits}`] : []),
    sh`-C ${comment} -f ${path}`,
    ...(a.ssh_key_passphrase === undefined ? [shellRaw(`-N ''`)] : []),
  ];
  const ownerSpec = `${owner.uid}:${owner.gid}`;
  return shellJoin([
    sh`{ test -d ${dir} || { mkdir -m 0700 ${dir} && chown ${ownerSpec} ${dir}; }; }`,
    ...(a.force ? [sh`rm -f ${path} ${`${path}.pub`}`] : []),
    shellRaw(keygen.map((k) => k.text).join(' ')),
    sh`chown ${ownerSpec} ${path} ${`${path}.pub`}`,
  ]);
}

/** ssh-keygen reads the passphrase twice (asked, then confirmed) from stdin when it has no terminal. */
export function sshKeygenStdin(a: UserArgs): string | undefined {
  return a.ssh_key_passphrase === undefined ? undefined : `${a.ssh_key_passphrase}\n${a.ssh_key_passphrase}\n`;
}
