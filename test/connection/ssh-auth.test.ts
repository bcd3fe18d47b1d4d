import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { authMethods, clearParsedKeys } from '../../src/connection/ssh-auth.js';
import { ConnectError } from '../../src/errors.js';
import type { ConnectionOptions } from '../../src/connection/types.js';

const dir = mkdtempSync(join(tmpdir(), 'kelpie-auth-'));
const opts = (privateKeyFile: string): ConnectionOptions => ({
  host: 'h',
  address: '127.0.0.1',
  port: 22,
  user: 'root',
  privateKeyFile,
  agentSocket: join(dir, 'no-agent'),
  hostKeyChecking: true,
  acceptNewHostKeys: false,
  connectTimeoutMs: 1000,
  commandTimeoutMs: 1000,
  maxChannels: 8,
});
const keyOf = (o: ConnectionOptions): unknown => {
  const m = authMethods(o, 'h') as unknown as { type: string; key?: unknown }[];
  assert.deepEqual(m.map((x) => x.type), ['publickey']);
  return m[0]!.key;
};

describe('authMethods private keys', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => clearParsedKeys());

  it('hands ssh2 a parsed private key, parsed once per file for all hosts', () => {
    const file = join(dir, 'id_ed25519');
    writeFileSync(file, ssh2.utils.generateKeyPairSync('ed25519').private);
    const first = keyOf(opts(file)) as ssh2.ParsedKey;
    assert.equal(typeof first.isPrivateKey, 'function');
    assert.equal(first.isPrivateKey(), true);
    // a second host of the same run gets the very same object: the file was not read again
    writeFileSync(file, 'replaced after the first host');
    assert.equal(keyOf(opts(file)), first);
    // another file is its own key
    const other = join(dir, 'other');
    writeFileSync(other, ssh2.utils.generateKeyPairSync('ed25519').private);
    assert.notEqual(keyOf(opts(other)), first);
  });

  it('still reports an unreadable or unusable key file for every host (failures are not cached)', () => {
    const missing = join(dir, 'missing');
    assert.throws(() => authMethods(opts(missing), 'web1'), (e: unknown) => e instanceof ConnectError && /web1: cannot read private key/.test(e.message));
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'not a key');
    assert.throws(() => authMethods(opts(bad), 'web1'), (e: unknown) => e instanceof ConnectError && /cannot use private key/.test(e.message));
    // fixed between hosts: the next host uses it
    writeFileSync(bad, ssh2.utils.generateKeyPairSync('ed25519').private);
    assert.equal((keyOf(opts(bad)) as ssh2.ParsedKey).isPrivateKey(), true);
  });
});
