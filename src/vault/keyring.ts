/**
 * The vault passwords of one run (--vault-password-file, --vault-id, --ask-vault-pass,
 * vault_password_file in ansible.cfg) and every plaintext they opened. The plaintexts are
 * secrets: output, reports and errors mask them as they mask no_log values.
 */
import { ConfigError } from '../errors.js';
import { decryptEnvelope, parseEnvelope, VaultFormatError, VaultPasswordError } from './format.js';
import type { VaultSecret } from './passwordSource.js';

export type { VaultSecret } from './passwordSource.js';
export { readVaultPassword } from './passwordSource.js';

const secrets: VaultSecret[] = [];
const opened = new Set<string>();

/** `--vault-id label@file` or `--vault-id file`; `named` says a label was written (a client script is then asked for it). */
export function parseVaultId(spec: string): { label: string; source: string; named: boolean } {
  const at = spec.indexOf('@');
  return at < 0 ? { label: 'default', source: spec, named: false } : { label: spec.slice(0, at) || 'default', source: spec.slice(at + 1), named: at > 0 };
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
  return openVault(text, where).plain;
}

/** The plaintext and the secret that opened it (`vault edit` encrypts again with that one). */
export function openVault(text: string, where: string): { plain: string; secret: VaultSecret } {
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
      return { plain, secret: s };
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
