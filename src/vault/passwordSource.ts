/**
 * Where a vault password comes from, as Ansible reads it: a file holds it (surrounding
 * whitespace is not part of it), or an executable file is run and prints it. A script named
 * `*-client` (with any extension) is a client script: it is asked for one vault id with
 * `--vault-id ID` and exits 2 when it has none (ansible/parsing/vault: script_is_client,
 * ClientScriptVaultSecret).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ConfigError } from '../errors.js';

export interface VaultSecret {
  /** the --vault-id label; `default` when none was given */
  label: string;
  password: Buffer;
}

/** What a client script exits with when it holds no secret for the id asked. */
const CLIENT_UNKNOWN_ID_RC = 2;

/** `pass-client`, `pass-client.sh`, `pass-client.py`: Ansible decides by the name alone. */
export function isClientScript(file: string): boolean {
  const name = basename(file);
  return name.slice(0, name.length - extname(name).length).endsWith('-client');
}

function isExecutable(file: string): boolean {
  return (statSync(file).mode & 0o111) !== 0;
}

/**
 * Runs a password script. A plain script's stderr goes to the terminal and its stdin is
 * ours, so it can prompt; a client script's stderr is captured for the error message.
 * Only line ends are stripped from what it prints, as Ansible strips them.
 */
function runScript(file: string, label: string, clientVaultId: string | null): VaultSecret {
  const client = isClientScript(file);
  const args = client && clientVaultId !== null ? ['--vault-id', clientVaultId] : [];
  const r = spawnSync(file, args, { stdio: ['inherit', 'pipe', client ? 'pipe' : 'inherit'], maxBuffer: 1 << 20 });
  const kind = client ? 'Vault password client script' : 'Vault password script';
  if (r.error) throw new ConfigError(`Problem running ${kind.toLowerCase()} ${file} (${r.error.message})`, { hint: 'if this is not a script, remove the executable bit from the file' });
  const stderr = r.stderr ? r.stderr.toString('utf8').trim() : '';
  const said = stderr ? `: ${stderr}` : '';
  if (client && r.status === CLIENT_UNKNOWN_ID_RC) throw new ConfigError(`${kind} ${file} did not find a secret for vault-id=${clientVaultId ?? 'None'}${said}`);
  if (r.status !== 0) {
    const rc = r.status ?? r.signal;
    throw new ConfigError(client ? `${kind} ${file} returned non-zero (${rc}) when getting secret for vault-id=${clientVaultId ?? 'None'}${said}` : `${kind} ${file} returned non-zero (${rc})`);
  }
  const password = Buffer.from(r.stdout.toString('utf8').replace(/^[\r\n]+|[\r\n]+$/g, ''), 'utf8');
  if (!password.length) throw new ConfigError(`invalid vault password was provided from script (${file}): it is empty`);
  return { label, password };
}

/**
 * The password of `file`: its text, or what it prints when it is executable. `clientVaultId`
 * is the id a client script is asked for: the --vault-id label, `default` for
 * --vault-password-file and ansible.cfg, null for a --vault-id without a label (no argument).
 */
export function readVaultPassword(file: string, label = 'default', clientVaultId: string | null = label): VaultSecret {
  let executable: boolean;
  try {
    executable = isExecutable(file);
  } catch {
    throw new ConfigError(`the vault password file ${file} was not found`);
  }
  if (executable) return runScript(file, label, clientVaultId);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ConfigError(`could not read vault password file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const password = Buffer.from(bytes.toString('utf8').trim(), 'utf8');
  if (!password.length) throw new ConfigError(`invalid vault password was provided from file (${file}): it is empty`);
  return { label, password };
}
