import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run } from './exec.js';
import { labKeyFile } from './paths.js';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** The controller-side key pair authorized on every lab host (created once, kept). */
export async function ensureLabKey(): Promise<{ privateKeyFile: string; publicKey: string }> {
  if (!(await exists(labKeyFile())) || !(await exists(`${labKeyFile()}.pub`))) {
    await mkdir(dirname(labKeyFile()), { recursive: true });
    await run('rm', ['-f', labKeyFile(), `${labKeyFile()}.pub`]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kelpie-lab', '-f', labKeyFile()]);
  }
  return { privateKeyFile: labKeyFile(), publicKey: (await readFile(`${labKeyFile()}.pub`, 'utf8')).trim() };
}

function sshString(b: Buffer | string): Buffer {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

/**
 * A fresh ed25519 key pair in OpenSSH's own formats, made in-process: 50 hosts need 50 keys
 * and spawning ssh-keygen for each costs seconds on a busy machine.
 */
export function ed25519OpenSsh(comment = ''): { privateKey: string; publicKey: string } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    one,
    sshString(pubBlob),
    sshString(priv),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${pubBlob.toString('base64')}`,
  };
}

/** A fresh ed25519 host key for one host; returns its public key line ("ssh-ed25519 AAAA…"). */
export async function makeHostKey(file: string): Promise<string> {
  const key = ed25519OpenSsh();
  await writeFile(file, key.privateKey, { mode: 0o600 });
  await writeFile(`${file}.pub`, `${key.publicKey}\n`, { mode: 0o644 });
  return key.publicKey;
}
