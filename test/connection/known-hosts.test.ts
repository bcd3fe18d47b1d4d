import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConnectError } from '../../src/errors.js';
import { hostLookupName, parseKnownHosts, patternsMatch, verifyHostKey } from '../../src/connection/known-hosts.js';
import { shellRaw } from '../../src/shell/quote.js';
import { fileURLToPath } from 'node:url';
import { connTo, requireSshd, startSshd, type Sshd } from './sshd-fixture.js';

const OPENSSH = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/connection/openssh-key-type-change');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const blob = (type: string, body: string) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
};

describe('known_hosts parsing and matching', () => {
  const ed = blob('ssh-ed25519', 'key-one');
  const ed2 = blob('ssh-ed25519', 'key-two');
  const rsa = blob('ssh-rsa', 'rsa-key');

  it('uses [host]:port for non-default ports', () => {
    assert.equal(hostLookupName('10.0.0.1', 22), '10.0.0.1');
    assert.equal(hostLookupName('10.0.0.1', 2222), '[10.0.0.1]:2222');
  });

  it('matches plain, wildcard, negated and hashed patterns', () => {
    assert.ok(patternsMatch('a.example,b.example', 'b.example'));
    assert.ok(patternsMatch('*.example', 'web1.example'));
    assert.ok(!patternsMatch('*.example,!db.example', 'db.example'));
    assert.ok(patternsMatch('[10.0.0.?]:2222', '[10.0.0.5]:2222'));
    assert.ok(!patternsMatch('10.0.0.5', '[10.0.0.5]:2222'));
    assert.ok(patternsMatch(hashed('[h]:2222'), '[h]:2222'));
    assert.ok(!patternsMatch(hashed('[h]:2222'), 'h'));
  });

  it('says match, changed, unknown or revoked', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        `h1 ssh-ed25519 ${ed.toString('base64')}`,
        `${hashed('h2')} ssh-ed25519 ${ed.toString('base64')} comment`,
        `@revoked h3 ssh-ed25519 ${ed2.toString('base64')}`,
        `h4 ssh-rsa ${rsa.toString('base64')}`,
      ].join('\n'),
    );
    assert.deepEqual(verifyHostKey(entries, 'h1', ed), { kind: 'match' });
    assert.deepEqual(verifyHostKey(entries, 'h2', ed), { kind: 'match' });
    assert.deepEqual(verifyHostKey(entries, 'h1', ed2), { kind: 'changed', line: 2, keyType: 'ssh-ed25519' });
    assert.deepEqual(verifyHostKey(entries, 'h3', ed2), { kind: 'revoked', line: 4 });
    assert.deepEqual(verifyHostKey(entries, 'nobody', ed), { kind: 'unknown' });
    assert.deepEqual(verifyHostKey(entries, 'h4', ed), { kind: 'changed', line: 5, keyType: 'ssh-rsa' }, 'a new key type is a changed key');
  });

  it('a host known by ed25519 that offers RSA is changed, as OpenSSH 9.2 decided (recorded)', () => {
    // test/fixtures/connection/openssh-key-type-change/record.sh ran the real ssh client
    const ssh = readFileSync(join(OPENSSH, 'ssh.txt'), 'utf8');
    const offending = /Offending (\S+) key in \S+:(\d+)/.exec(ssh);
    assert.ok(offending && /has changed and you have requested strict checking/.test(ssh) && /exit=255/.test(ssh), ssh);
    const known = readFileSync(join(OPENSSH, 'known_hosts'), 'utf8');
    const name = known.split(' ')[0]!;
    const offered = Buffer.from(readFileSync(join(OPENSSH, 'server_rsa.pub'), 'utf8').trim().split(' ')[1]!, 'base64');
    const v = verifyHostKey(parseKnownHosts(known), name, offered);
    assert.deepEqual(v, { kind: 'changed', line: Number(offending[2]), keyType: `ssh-${offending[1]!.toLowerCase()}` });
    const after = ssh.split('--- known_hosts afterwards\n')[1];
    assert.equal(after, known, 'OpenSSH left known_hosts as it was');
  });
});

describe('host key verification against a real sshd', function () {
  let d: Sshd;
  before(async function () {
    requireSshd(this);
    d = await startSshd();
  });
  after(async () => d?.stop());

  const rejectsWith = (re: RegExp) => (e: unknown) => e instanceof ConnectError && re.test(e.message);

  it('refuses an unknown host key and hints at --ssh-accept-new', async () => {
    const file = join(d.dir, 'empty_known_hosts');
    writeFileSync(file, '');
    const c = connTo(d, { knownHostsFile: file });
    await assert.rejects(c.connect(), (e: unknown) => rejectsWith(/not known/)(e) && /--ssh-accept-new/.test((e as ConnectError).hint ?? ''));
    assert.equal(readFileSync(file, 'utf8'), '', 'nothing written without acceptNewHostKeys');
  });

  it('accepts and records a new key with acceptNewHostKeys, then trusts it', async () => {
    const file = join(d.dir, 'new_known_hosts');
    const c = connTo(d, { knownHostsFile: file, acceptNewHostKeys: true });
    await c.connect();
    await c.close();
    assert.equal(readFileSync(file, 'utf8'), `[127.0.0.1]:${d.port} ${d.hostKeyLine}\n`);
    const again = connTo(d, { knownHostsFile: file });
    assert.equal((await again.exec(shellRaw('echo ok'))).stdout, 'ok\n');
    await again.close();
  });

  it('refuses a changed key loudly, even with acceptNewHostKeys', async () => {
    const file = join(d.dir, 'changed_known_hosts');
    const other = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), randomBytes(32)]);
    writeFileSync(file, `[127.0.0.1]:${d.port} ssh-ed25519 ${other.toString('base64')}\n`);
    const c = connTo(d, { knownHostsFile: file, acceptNewHostKeys: true });
    await assert.rejects(c.connect(), rejectsWith(/REMOTE HOST IDENTIFICATION HAS CHANGED/));
  });

  it('refuses a host known by another key type, even with acceptNewHostKeys, and leaves known_hosts alone', async () => {
    // the sshd offers only ed25519; the client knows this host by an RSA key
    const file = join(d.dir, 'type_changed_known_hosts');
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 3, 1, 0, 1, 0, 0, 1, 1, 0]), randomBytes(256)]);
    const before = `[127.0.0.1]:${d.port} ssh-rsa ${rsaBlob.toString('base64')}\n`;
    writeFileSync(file, before);
    const c = connTo(d, { knownHostsFile: file, acceptNewHostKeys: true });
    await assert.rejects(c.connect(), rejectsWith(/REMOTE HOST IDENTIFICATION HAS CHANGED: the server offered ssh-ed25519 .* differs from the ssh-rsa key in .*:1/));
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('matches hashed entries', async () => {
    const file = join(d.dir, 'hashed_known_hosts');
    writeFileSync(file, `${hashed(`[127.0.0.1]:${d.port}`)} ${d.hostKeyLine}\n`);
    const c = connTo(d, { knownHostsFile: file });
    await c.connect();
    await c.close();
  });

  it('skips verification when hostKeyChecking is off', async () => {
    const c = connTo(d, { knownHostsFile: join(d.dir, 'absent'), hostKeyChecking: false });
    await c.connect();
    await c.close();
  });

  it('maps refused connections and bad credentials to connect and auth errors', async () => {
    const refused = connTo(d, { port: 1 });
    await assert.rejects(refused.connect(), (e: unknown) => e instanceof ConnectError && e.code === 'connect' && /127\.0\.0\.1:1/.test(e.message));
    const wrongKey = join(d.dir, 'host_ed25519'); // a valid key, but not an authorized one
    const badAuth = connTo(d, { privateKeyFile: wrongKey });
    await assert.rejects(badAuth.connect(), (e: unknown) => e instanceof ConnectError && e.code === 'auth');
  });
});
