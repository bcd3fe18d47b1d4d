/**
 * OpenSSH known_hosts: parse, match (plain, wildcard, negated, `[host]:port` and hashed
 * `|1|salt|hash` patterns), verify a server key, append a new one.
 */
import { createHash, createHmac } from 'node:crypto';
import { fnmatch } from '../fnmatch.js';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  marker: '' | '@revoked' | '@cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export type HostKeyVerdict =
  | { kind: 'match' }
  | { kind: 'unknown' }
  /** `keyType` is the type of the known key the offered one contradicts (it may differ). */
  | { kind: 'changed'; line: number; keyType: string }
  | { kind: 'revoked'; line: number };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = '';
    if (f[0] === '@revoked' || f[0] === '@cert-authority') marker = f.shift() as KnownHostEntry['marker'];
    const [patterns, keyType, b64] = f;
    if (!patterns || !keyType || !b64) return;
    out.push({ marker, patterns, keyType, key: Buffer.from(b64, 'base64'), line: i + 1 });
  });
  return out;
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
}

/** OpenSSH semantics: any negated match wins (no match), else any positive match. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const glob = negated ? p.slice(1) : p;
    if (!fnmatch(name, glob, { classes: false, ignoreCase: true })) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa` …). */
export function keyBlobType(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('ascii');
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export function verifyHostKey(entries: KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const type = keyBlobType(blob);
  const mine = entries.filter((e) => patternsMatch(e.patterns, name));
  const revoked = mine.find((e) => e.marker === '@revoked' && e.key.equals(blob));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  const plain = mine.filter((e) => e.marker === '');
  if (plain.some((e) => e.keyType === type && e.key.equals(blob))) return { kind: 'match' };
  // As OpenSSH 9.2: any known key for the host, of any type, makes a different key a change.
  // A host known by ed25519 that suddenly offers only RSA is refused, never "new".
  const offending = plain.find((e) => e.keyType === type) ?? plain[0];
  if (offending) return { kind: 'changed', line: offending.line, keyType: offending.keyType };
  return { kind: 'unknown' };
}

/** Key types known for `name`, so the handshake can prefer them (as OpenSSH does). */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  const types = entries.filter((e) => e.marker === '' && patternsMatch(e.patterns, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

export function readKnownHosts(file: string): KnownHostEntry[] {
  return existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8')) : [];
}

export function appendKnownHost(file: string, name: string, blob: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const cur = readFileSync(file, 'utf8');
    if (cur.length > 0 && !cur.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${name} ${keyBlobType(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
}

const ALL_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Host key algorithms with the ones matching known key types first. */
export function preferredHostKeyAlgorithms(knownTypes: string[]): string[] {
  const known = ALL_HOST_KEY_ALGOS.filter((a) => knownTypes.includes(a.startsWith('rsa-sha2-') ? 'ssh-rsa' : a));
  return [...known, ...ALL_HOST_KEY_ALGOS.filter((a) => !known.includes(a))];
}
