/**
 * The ansible-vault envelope, formats 1.1 and 1.2 with the AES256 cipher, so files move both
 * ways between kelpie and ansible-vault.
 *
 *   $ANSIBLE_VAULT;1.1;AES256            (1.2 adds `;label`)
 *   hex(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)), in lines of 80 characters
 *
 * PBKDF2-HMAC-SHA256 (10000 rounds) over the password and the 32-byte salt gives 80 bytes:
 * the AES-256-CTR key, the HMAC-SHA256 key and the counter's initial block. The plaintext is
 * PKCS#7-padded before CTR (the format has always done so), and the HMAC covers the ciphertext.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const VAULT_HEADER = '$ANSIBLE_VAULT';
const CIPHER = 'AES256';
const ROUNDS = 10000;
const KEY_BYTES = 32;
const IV_BYTES = 16;
const LINE = 80;

/** The vault's text is not a vault envelope (bad header, not hex, missing parts). */
export class VaultFormatError extends Error {}
/** The envelope is fine but the password does not open it (the HMAC does not match). */
export class VaultPasswordError extends Error {}

export interface Envelope {
  version: '1.1' | '1.2';
  cipher: string;
  /** the 1.2 label (`--vault-id label@…`); undefined in 1.1 */
  label?: string;
  /** the outer hex payload, lines joined */
  payload: string;
}

export function isVaultText(text: string | Uint8Array): boolean {
  const head = typeof text === 'string' ? text.slice(0, VAULT_HEADER.length + 8) : Buffer.from(text.subarray(0, VAULT_HEADER.length + 8)).toString('latin1');
  return head.trimStart().startsWith(VAULT_HEADER + ';');
}

export function parseEnvelope(text: string): Envelope {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines[0] ?? '').trim().split(';').map((p) => p.trim());
  if (header[0] !== VAULT_HEADER) throw new VaultFormatError(`not a vault: the first line must start with ${VAULT_HEADER};`);
  const version = header[1];
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`vault format ${version ?? '(none)'} is not supported (1.1 and 1.2 are)`);
  const cipher = header[2] ?? '';
  if (cipher !== CIPHER) throw new VaultFormatError(`vault cipher ${cipher || '(none)'} is not supported (AES256 is)`);
  const payload = lines.slice(1).map((l) => l.trim()).join('');
  return { version, cipher, ...(version === '1.2' && header[3] ? { label: header[3] } : {}), payload };
}

function unhex(hex: string, what: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new VaultFormatError(`vault ${what} is not hexadecimal`);
  return Buffer.from(hex, 'hex');
}

function deriveKeys(password: Buffer, salt: Buffer): { aesKey: Buffer; hmacKey: Buffer; iv: Buffer } {
  const m = pbkdf2Sync(password, salt, ROUNDS, 2 * KEY_BYTES + IV_BYTES, 'sha256');
  return { aesKey: m.subarray(0, KEY_BYTES), hmacKey: m.subarray(KEY_BYTES, 2 * KEY_BYTES), iv: m.subarray(2 * KEY_BYTES) };
}

/** Opens an envelope with one password; VaultPasswordError when the HMAC says it is not this one. */
export function decryptEnvelope(env: Envelope, password: string | Buffer): Buffer {
  const inner = unhex(env.payload, 'payload').toString('latin1');
  const parts = inner.split('\n');
  if (parts.length !== 3) throw new VaultFormatError('vault payload must hold salt, HMAC and ciphertext');
  const salt = unhex(parts[0]!, 'salt');
  const mac = unhex(parts[1]!, 'HMAC');
  const ciphertext = unhex(parts[2]!, 'ciphertext');
  const { aesKey, hmacKey, iv } = deriveKeys(Buffer.from(password), salt);
  const expected = createHmac('sha256', hmacKey).update(ciphertext).digest();
  // verify before decrypting: a wrong password must not yield garbage plaintext
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new VaultPasswordError('HMAC verification failed');
  const decipher = createDecipheriv('aes-256-ctr', aesKey, iv);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultFormatError('vault plaintext padding is invalid');
  return padded.subarray(0, padded.length - pad);
}

/** Encrypts to the envelope text ansible-vault writes (1.2 when a label other than `default` is given). */
export function encryptVault(plaintext: string | Buffer, password: string | Buffer, label?: string, salt: Buffer = randomBytes(32)): string {
  const { aesKey, hmacKey, iv } = deriveKeys(Buffer.from(password), salt);
  const data = Buffer.from(plaintext);
  const pad = 16 - (data.length % 16);
  const cipher = createCipheriv('aes-256-ctr', aesKey, iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.concat([data, Buffer.alloc(pad, pad)])), cipher.final()]);
  const mac = createHmac('sha256', hmacKey).update(ciphertext).digest();
  const inner = [salt.toString('hex'), mac.toString('hex'), ciphertext.toString('hex')].join('\n');
  const payload = Buffer.from(inner, 'latin1').toString('hex');
  const labelled = label !== undefined && label !== '' && label !== 'default';
  const header = labelled ? `${VAULT_HEADER};1.2;${CIPHER};${label}` : `${VAULT_HEADER};1.1;${CIPHER}`;
  const lines = [header];
  for (let i = 0; i < payload.length; i += LINE) lines.push(payload.slice(i, i + LINE));
  return lines.join('\n') + '\n';
}
