/**
 * become over real SSH: a sudo user becoming root (and another user), a user whose sudo
 * needs a password (from vars and from -K on stdin), a wrong password, and check mode.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { diffSnapshots, runInHost, snapshotUpper } from '../../src/lab/index.js';
import { labHostVars, resultOf, runWith, statIn, tempFilesIn, writeInventory } from '../helpers/engineLab.js';
import { useLab } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-engine');

async function cat(host: Parameters<typeof runInHost>[0], path: string): Promise<string> {
  return (await runInHost(host, ['cat', path])).stdout;
}

describe('lab engine: become over real SSH', function () {
  this.timeout(300_000);
  const h = useLab('engbecome', 4);

  it('deploy + become: commands run as root, copy/template/lineinfile write root-owned files atomically, become_user switches user', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host, 'deploy') }]);
    const r = await runWith(inv, join(fixtures, 'become.yaml'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(resultOf(r.report, 'who am i', host.name)?.result.stdout, 'root');
    assert.equal(await cat(host, '/root/whoami.txt'), 'user=root\n');
    assert.equal(await cat(host, '/root/other.txt'), 'user=pwuser\n');
    for (const f of ['/etc/kelpie-become-copy.txt', '/etc/kelpie-become-template.txt', '/etc/kelpie-become-lines.txt']) {
      assert.match((await statIn(host, f)) ?? 'missing', /^root:root 644 \d+$/, f);
    }
    assert.equal(await cat(host, '/etc/kelpie-become-template.txt'), `rendered for ${host.name}\n`);
    assert.equal(await cat(host, '/etc/kelpie-become-lines.txt'), 'managed = yes\n');
    assert.match((await statIn(host, '/tmp/kelpie-as-pwuser.txt')) ?? 'missing', /^pwuser:pwuser /);
    assert.deepEqual(await tempFilesIn(host, '/etc'), [], 'no temp file left beside the targets');
    assert.deepEqual(await tempFilesIn(host, '/root'), []);
    const again = await runWith(inv, join(fixtures, 'become.yaml'));
    assert.equal(again.code, 0);
    assert.equal(resultOf(again.report, 'copy as root', host.name)?.status, 'ok', 'second run: file already right');
  });

  it('check mode with become changes nothing on the host', async () => {
    const lab = h.lab();
    const host = lab.hosts[1]!;
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host, 'deploy') }]);
    const before = await snapshotUpper(host);
    const r = await runWith(inv, join(fixtures, 'become.yaml'), ['--check']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(resultOf(r.report, 'copy as root', host.name)?.status, 'changed', 'check mode says it would change');
    assert.deepEqual(diffSnapshots(before, await snapshotUpper(host)), []);
  });

  it('a sudo password from ansible_become_password works; a wrong one fails only that host, clearly', async () => {
    const lab = h.lab();
    const [good, bad] = [lab.hosts[2]!, lab.hosts[3]!];
    const inv = writeInventory(lab, [
      { name: good.name, vars: { ...labHostVars(lab, good, 'pwuser'), ansible_become_password: 'kelpie' } },
      { name: bad.name, vars: { ...labHostVars(lab, bad, 'pwuser'), ansible_become_password: 'not-the-password' } },
    ]);
    const r = await runWith(inv, join(fixtures, 'become-pw.yaml'));
    assert.equal(r.code, 2, 'a failed host gives exit 2:\n' + r.out + r.err);
    assert.equal(resultOf(r.report, 'who am i', good.name)?.result.stdout, 'root');
    assert.equal(await cat(good, '/root/pw-whoami.txt'), 'user=root\n');
    const failed = resultOf(r.report, 'who am i', bad.name);
    assert.equal(failed?.status, 'failed');
    assert.match(String(failed?.result.msg), /become \(sudo to root\) failed .*incorrect password/);
    assert.equal(r.report.stats[bad.name]?.unreachable, 0, 'a become failure is not unreachable');
    assert.equal((await runInHost(bad, ['test', '-e', '/root/pw-whoami.txt'])).rc, 1);
    assert.doesNotMatch(r.out + r.err + JSON.stringify(r.report), /not-the-password/, 'the password is never printed');
  });

  it('-K reads the sudo password from stdin', async () => {
    const lab = h.lab();
    const host = lab.hosts[3]!;
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host, 'pwuser') }]);
    const stdin = new PassThrough();
    stdin.end('kelpie\n');
    const r = await runWith(inv, join(fixtures, 'become-pw.yaml'), ['-K'], { stdin });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /BECOME password: /);
    assert.equal(resultOf(r.report, 'who am i', host.name)?.result.stdout, 'root');
    assert.equal(await cat(host, '/root/pw-whoami.txt'), 'user=root\n');
  });

  it('no password at all fails with a hint, not a hang', async () => {
    const lab = h.lab();
    const host = lab.hosts[2]!;
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host, 'pwuser') }]);
    const r = await runWith(inv, join(fixtures, 'become-pw.yaml'));
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(String(resultOf(r.report, 'who am i', host.name)?.result.msg), /password is required.*ask-become-pass/);
  });
});
