import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run } from './exec.js';
import { labKeyFile } from './paths.js';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** The controller-side key pair authorized on every lab host (created once, kept). */
export async function ensureLabKey(): Promise<{ privateKeyFile: string; publicKey: string }> {
  if (!(await exists(labKeyFile)) || !(await exists(`${labKeyFile}.pub`))) {
    await mkdir(dirname(labKeyFile), { recursive: true });
    await run('rm', ['-f', labKeyFile, `${labKeyFile}.pub`]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kelpie-lab', '-f', labKeyFile]);
  }
  return { privateKeyFile: labKeyFile, publicKey: (await readFile(`${labKeyFile}.pub`, 'utf8')).trim() };
}

/** A fresh ed25519 host key for one host; returns its public key line ("ssh-ed25519 AAAA…"). */
export async function makeHostKey(file: string): Promise<string> {
  await run('rm', ['-f', file, `${file}.pub`]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
  const pub = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/);
  return `${pub[0]} ${pub[1]}`;
}
