/** `kelpie vault encrypt|decrypt|view|edit|encrypt_string|rekey`: ansible-vault's file commands. */
import { resolve } from 'node:path';
import { encryptVault, isVaultText, parseEnvelope } from '../vault/format.js';
import { decryptVaultText, encryptionSecret, parseVaultId, readVaultPassword, type VaultSecret } from '../vault/keyring.js';
import { editVaultFile, readText, writeAtomically } from './vaultFiles.js';
import { readConfig } from './config.js';
import type { Io } from './io.js';
import { UsageError } from './parser.js';
import { loadVaultSecrets } from './vaultSecrets.js';

export interface VaultFlags {
  vaultPasswordFile?: string[];
  vaultId?: string[];
  askVaultPass?: boolean;
  output?: string;
  name?: string;
  newVaultPasswordFile?: string;
  newVaultId?: string;
}

async function secretFor(flags: VaultFlags, io: Io): Promise<VaultSecret> {
  await loadVaultSecrets(flags, readConfig(io.cwd, io.env), io);
  const s = encryptionSecret();
  if (!s) throw new UsageError('a vault password is needed', 'give it with --vault-password-file FILE, --vault-id [label@]FILE or --ask-vault-pass');
  return s;
}

function newSecret(flags: VaultFlags, io: Io): VaultSecret {
  if (flags.newVaultPasswordFile) return readVaultPassword(resolve(io.cwd, flags.newVaultPasswordFile));
  if (flags.newVaultId) {
    const { label, source, named } = parseVaultId(flags.newVaultId);
    return readVaultPassword(resolve(io.cwd, source), label, named ? label : null);
  }
  throw new UsageError('rekey needs the new password', 'give it with --new-vault-password-file FILE or --new-vault-id [label@]FILE');
}

export async function vaultCommand(action: string, args: string[], flags: VaultFlags, io: Io): Promise<number> {
  const secret = await secretFor(flags, io);
  const files = args.map((f) => resolve(io.cwd, f));
  if (flags.output && files.length !== 1) throw new UsageError('--output takes exactly one input file');
  switch (action) {
    case 'encrypt':
      for (const f of files) {
        const text = readText(f);
        if (isVaultText(text)) throw new UsageError(`input is already encrypted: ${f}`);
        writeAtomically(flags.output ? resolve(io.cwd, flags.output) : f, encryptVault(text, secret.password, secret.label));
      }
      io.err('Encryption successful\n');
      return 0;
    case 'decrypt':
      for (const f of files) writeAtomically(flags.output ? resolve(io.cwd, flags.output) : f, decryptVaultText(readText(f), f));
      io.err('Decryption successful\n');
      return 0;
    case 'view':
      for (const f of files) io.out(decryptVaultText(readText(f), f));
      return 0;
    case 'edit':
      for (const f of files) editVaultFile(f, readText(f), io);
      return 0;
    case 'rekey': {
      const next = newSecret(flags, io);
      for (const f of files) {
        const text = readText(f);
        const plain = decryptVaultText(text, f);
        writeAtomically(f, encryptVault(plain, next.password, next.label !== 'default' ? next.label : parseEnvelope(text).label));
      }
      io.err('Rekey successful\n');
      return 0;
    }
    case 'encrypt_string': {
      if (args.length === 0) throw new UsageError('encrypt_string needs the string to encrypt');
      for (const value of args) {
        const body = encryptVault(value, secret.password, secret.label).trimEnd().split('\n').map((l) => `          ${l}`).join('\n');
        io.out(flags.name ? `${flags.name}: !vault |\n${body}\n` : `!vault |\n${body}\n`);
      }
      io.err('Encryption successful\n');
      return 0;
    }
    default:
      throw new UsageError(`unknown vault action '${action}'`, 'one of encrypt, decrypt, view, edit, encrypt_string, rekey');
  }
}
