/** The run's vault passwords from --vault-password-file, --vault-id, --ask-vault-pass and ansible.cfg. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { addVaultSecret, parseVaultId, readPasswordFile, resetVault } from '../vault/keyring.js';
import type { FileConfig } from './config.js';
import { askSecret, type Io } from './io.js';
import type { RunFlags } from './options.js';
import { UsageError } from './parser.js';

type VaultFlags = Pick<RunFlags, 'vaultPasswordFile' | 'vaultId' | 'askVaultPass'>;

function fromFile(file: string, label: string, io: Io): void {
  const path = resolve(io.cwd, file);
  // Ansible runs an executable password file as a script; kelpie does not, and says so
  // rather than taking the script's text as the password
  let mode = 0;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new UsageError(`the vault password file ${path} was not found`);
  }
  if (mode & 0o111) throw new UsageError(`the vault password file ${path} is executable: vault password scripts are not supported by kelpie`, 'chmod -x it if it holds the password itself');
  addVaultSecret(readPasswordFile(path, label));
}

async function fromPrompt(label: string, io: Io): Promise<void> {
  const prompt = label === 'default' ? 'Vault password: ' : `Vault password (${label}): `;
  const pw = await askSecret(prompt, io);
  if (!pw) throw new UsageError('invalid vault password was provided from prompt: it is empty');
  addVaultSecret({ label, password: Buffer.from(pw, 'utf8') });
}

/** Registers every password given; ansible.cfg's vault_password_file only when no flag names one. */
export async function loadVaultSecrets(flags: VaultFlags, cfg: FileConfig, io: Io): Promise<void> {
  resetVault(); // one run's passwords and plaintexts (tests run several in one process)
  const files = flags.vaultPasswordFile ?? [];
  const ids = flags.vaultId ?? [];
  for (const f of files) fromFile(f, 'default', io);
  for (const spec of ids) {
    const { label, source } = parseVaultId(spec);
    if (source === 'prompt') await fromPrompt(label, io);
    else fromFile(source, label, io);
  }
  if (flags.askVaultPass === true) await fromPrompt('default', io);
  if (!files.length && !ids.length && flags.askVaultPass !== true && cfg.vaultPasswordFile) fromFile(cfg.vaultPasswordFile, 'default', io);
}
