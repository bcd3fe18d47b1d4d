/**
 * The vault passwords of one run (--vault-password-file, --vault-id, --ask-vault-pass,
 * vault_password_file in ansible.cfg) and every plaintext they opened. The plaintexts are
 * secrets: output, reports and errors mask them as they mask no_log values.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { decryptEnvelope, parseEnvelope, VaultFormatError, VaultPasswordError } from './format.js';

export interface VaultSecret {
  /** the --vault-id label; `default` when none was given */
  label: string;
  password: Buffer;
}

const secrets: VaultSecret[] = [];
const opened = new Set<string>();

/** Ansible's rule for a password file: surrounding whitespace is not part of the password. */
export function readPasswordFile(file: string, label = 'default'): VaultSecret {
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

/** `--vault-id label@file` or `--vault-id file`. */
export function parseVaultId(spec: string): { label: string; source: string } {
  const at = spec.indexOf('@');
  return at < 0 ? { label: 'default', source: spec } : { label: spec.slice(0, at) || 'default', source: spec.slice(at + 1) };
}

export function addVaultSecret(s: VaultSecret): void {
  secrets.push(s);
}

export function hasVaultSecrets(): boolean {
  return secrets.length > 0;
}

/** For tests: forget the passwords and plaintexts of a previous run in this process. */
export function resetVault(): void {
  secrets.length = 0;
  opened.clear();
}

/** Every value that came out of a vault so far: the values output must mask. */
export function vaultPlaintexts(): string[] {
  return [...opened];
}

function remember(plain: string): void {
  const t = plain.trim();
  if (t) opened.add(t);
}

/** The string leaves of a decrypted vars file: each is a secret on its own. */
export function rememberVaultValues(value: unknown): void {
  if (typeof value === 'string') remember(value);
  else if (typeof value === 'number' && String(value).length >= 3) opened.add(String(value));
  else if (Array.isArray(value)) value.forEach(rememberVaultValues);
  else if (value && typeof value === 'object') Object.values(value).forEach(rememberVaultValues);
}

/**
 * Decrypts vault text; `where` names the file (and value) in the errors. Secrets whose label
 * matches the envelope's go first, then the others, as ansible-vault tries them.
 */
export function decryptVaultText(text: string, where: string): string {
  let env;
  try {
    env = parseEnvelope(text);
  } catch (e) {
    throw new ConfigError(`${(e as Error).message} in ${where}`);
  }
  if (!secrets.length) {
    throw new ConfigError(`attempting to decrypt but no vault secrets found: ${where} is encrypted`, {
      hint: 'give the password with --vault-password-file FILE, --vault-id [label@]FILE or --ask-vault-pass',
    });
  }
  const ordered = [...secrets.filter((s) => s.label === env.label), ...secrets.filter((s) => s.label !== env.label)];
  for (const s of ordered) {
    try {
      const plain = decryptEnvelope(env, s.password).toString('utf8');
      remember(plain);
      return plain;
    } catch (e) {
      if (e instanceof VaultPasswordError) continue;
      if (e instanceof VaultFormatError) throw new ConfigError(`${e.message} in ${where}`);
      throw e;
    }
  }
  throw new ConfigError(`Decryption failed (no vault secrets were found that could decrypt) on ${where}`);
}

/** The password new vaults are written with: the first one given (Ansible's default encrypt id). */
export function encryptionSecret(): VaultSecret | undefined {
  return secrets[0];
}
