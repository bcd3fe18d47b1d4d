/** The run's vault passwords from --vault-password-file, --vault-id, --ask-vault-pass and ansible.cfg. */
import { resolve } from 'node:path';
import { addVaultSecret, parseVaultId, readVaultPassword, resetVault } from '../vault/keyring.js';
import type { FileConfig } from './config.js';
import { askSecret, type Io } from './io.js';
import type { RunFlags } from './options.js';
import { UsageError } from './parser.js';

type VaultFlags = Pick<RunFlags, 'vaultPasswordFile' | 'vaultId' | 'askVaultPass'>;

/** A password file, or a script that prints the password (a `*-client` script is asked for `clientVaultId`). */
function fromFile(file: string, label: string, clientVaultId: string | null, io: Io): void {
  addVaultSecret(readVaultPassword(resolve(io.cwd, file), label, clientVaultId));
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
  // Ansible turns --vault-password-file (and ansible.cfg's) into --vault-id default@FILE
  for (const f of files) fromFile(f, 'default', 'default', io);
  for (const spec of ids) {
    const { label, source, named } = parseVaultId(spec);
    if (source === 'prompt') await fromPrompt(label, io);
    else fromFile(source, label, named ? label : null, io);
  }
  if (flags.askVaultPass === true) await fromPrompt('default', io);
  if (!files.length && !ids.length && flags.askVaultPass !== true && cfg.vaultPasswordFile) fromFile(cfg.vaultPasswordFile, 'default', 'default', io);
}
