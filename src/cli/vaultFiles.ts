/** Vault files on disk: read, written atomically, and edited in $EDITOR as ansible-vault edit does. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { splitWords } from '../shell/shlex.js';
import { encryptVault, parseEnvelope } from '../vault/format.js';
import { openVault } from '../vault/keyring.js';
import type { Io } from './io.js';
import { UsageError } from './parser.js';

/**
 * Written through a temp file and a rename, so a vault is never left half-written. A file
 * that existed keeps its permission bits (as ansible-vault's shuffle_files keeps them).
 */
export function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.kelpie-tmp-${process.pid}`);
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    /* a new file */
  }
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * `vault edit FILE`: the plaintext goes to a private temp file (same extension, so the
 * editor picks its mode), `$EDITOR` (default vi, split as a shell would) runs on it, and
 * only changed content is encrypted again, with the password that opened the file and the
 * file's own vault id. Unchanged content leaves the file untouched, as ansible-vault does.
 */
export function editVaultFile(file: string, text: string, io: Io): void {
  const { plain, secret } = openVault(text, file);
  const label = parseEnvelope(text).label;
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-vault-edit-'));
  const tmp = join(dir, `edit${extname(file)}`);
  try {
    writeFileSync(tmp, plain, { mode: 0o600 });
    const editor = splitWords(io.env.EDITOR || 'vi');
    if (!editor.length) throw new UsageError('EDITOR is empty');
    const r = spawnSync(editor[0]!, [...editor.slice(1), tmp], { stdio: 'inherit' });
    if (r.error) throw new UsageError(`Unable to execute the command "${[...editor, tmp].join(' ')}": ${r.error.message}`);
    const edited = readFileSync(tmp);
    if (!edited.equals(Buffer.from(plain, 'utf8'))) writeAtomically(file, encryptVault(edited, secret.password, label));
  } finally {
    // the plaintext never outlives the edit
    rmSync(dir, { recursive: true, force: true });
  }
}
