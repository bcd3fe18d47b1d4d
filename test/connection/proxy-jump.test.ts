import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openJumpCount } from '../../src/connection/jump.js';
import type { ConnectionOptions } from '../../src/connection/types.js';
import { ConnectError } from '../../src/errors.js';
import { shellRaw } from '../../src/shell/quote.js';
import { connTo, optionsFor, requireSshd, startSshd, type Sshd } from './sshd-fixture.js';

/**
 * ProxyJump over a real OpenSSH sshd on loopback: the same sshd plays the bastion (reached
 * over TCP) and the targets (reached through the bastion's forwarded channels). The lab test
 * (test/lab/proxy-jump.test.ts) proves the targets are reachable only through the bastion.
 */
describe('ProxyJump through a real sshd (forwardOut)', function () {
  let d: Sshd;
  before(async function () {
    requireSshd(this);
    d = await startSshd();
  });
  after(async () => d?.stop());

  const bastion = (extra: Partial<ConnectionOptions> = {}): ConnectionOptions => optionsFor(d, { host: 'bastion', maxChannels: 1, ...extra });

  it('two targets share one connection to the bastion, which closes with the last of them', async () => {
    const a = connTo(d, { host: 't1', jump: bastion() });
    const b = connTo(d, { host: 't2', jump: bastion() });
    await Promise.all([a.connect(), b.connect()]);
    assert.equal(openJumpCount(), 1);
    assert.equal((await a.exec(shellRaw('echo through'))).stdout, 'through\n');
    assert.equal((await b.exec(shellRaw('echo also'))).stdout, 'also\n');
    await a.close();
    assert.equal(openJumpCount(), 1);
    await b.close();
    assert.equal(openJumpCount(), 0);
  });

  it('a chain reaches the target through each hop in turn', async () => {
    const c = connTo(d, { host: 't3', jump: bastion({ host: 'inner', jump: bastion() }) });
    await c.connect();
    assert.equal(openJumpCount(), 2);
    assert.equal((await c.exec(shellRaw('echo chained'))).stdout, 'chained\n');
    await c.close();
    assert.equal(openJumpCount(), 0);
  });

  it('an unreachable bastion fails its targets with the jump host named', async () => {
    const c = connTo(d, { host: 't4', jump: bastion({ port: 1 }) });
    await assert.rejects(c.connect(), (e: Error) => {
      assert.ok(e instanceof ConnectError);
      assert.match(e.message, /^t4 \(127\.0\.0\.1:\d+\) via bastion: jump host bastion \(127\.0\.0\.1:1\): cannot connect: connect ECONNREFUSED/);
      return true;
    });
    assert.equal(openJumpCount(), 0);
  });

  it('a target the bastion cannot reach fails with both named, and the bastion connection is let go', async () => {
    const c = connTo(d, { host: 't5', port: 1, jump: bastion() });
    await assert.rejects(c.connect(), /^ConnectError: t5 \(127\.0\.0\.1:1\): cannot connect through jump host bastion \(127\.0\.0\.1:\d+\): /);
    assert.equal(openJumpCount(), 0);
  });

  it('host keys are verified for the bastion and for the target, each against its own known_hosts', async () => {
    const empty = join(d.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const badBastion = connTo(d, { host: 't6', jump: bastion({ knownHostsFile: empty }) });
    await assert.rejects(badBastion.connect(), /t6 .* via bastion: jump host bastion \(127\.0\.0\.1:\d+\): host key is not known/);
    const badTarget = connTo(d, { host: 't7', knownHostsFile: empty, jump: bastion() });
    await assert.rejects(badTarget.connect(), /^ConnectError: t7 \(127\.0\.0\.1:\d+\) via bastion: host key is not known/);
    assert.equal(openJumpCount(), 0);
  });
});
