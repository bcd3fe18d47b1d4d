/**
 * Reachability over real SSH: an address of the lab's own subnet with nothing behind it is
 * UNREACHABLE while the other host carries on (exit 4); unknown host keys are refused unless
 * --ssh-accept-new, which then records them; a changed key is refused even then.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labHostVars, resultOf, runWith, writeInventory } from '../helpers/engineLab.js';
import { useLab } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-engine');

describe('lab engine: unreachable hosts and host keys', function () {
  this.timeout(300_000);
  const h = useLab('engreach', 1);

  it('a lab-subnet address without sshd is UNREACHABLE, the real host runs every task, exit code 4', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    // .250 of the lab's own /24: on the lab bridge, never assigned (hosts start at .11)
    const ghostAddress = host.address.replace(/\.\d+$/, '.250');
    const inv = writeInventory(lab, [
      { name: host.name, vars: labHostVars(lab, host) },
      { name: 'ghost', vars: { ...labHostVars(lab, host), ansible_host: ghostAddress, ansible_ssh_timeout: 5 } },
    ]);
    const r = await runWith(inv, join(fixtures, 'ping.yaml'));
    assert.equal(r.code, 4, r.out + r.err);
    assert.deepEqual(r.report.stats.ghost && { u: r.report.stats.ghost.unreachable, f: r.report.stats.ghost.failed }, { u: 1, f: 0 });
    assert.equal(r.report.stats[host.name]?.ok, 2);
    assert.equal(resultOf(r.report, 'say hello again', host.name)?.status, 'changed');
    assert.equal(resultOf(r.report, 'say hello again', 'ghost'), undefined, 'an unreachable host runs nothing more');
    assert.match(r.out, /fatal: \[ghost\]: UNREACHABLE!/);
    assert.match(r.out, /ghost\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0/);
  });

  it('an unknown host key is refused with a hint at --ssh-accept-new; with it the key is appended', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const knownHosts = join(mkdtempSync(join(tmpdir(), 'kelpie-kh-')), 'known_hosts');
    writeFileSync(knownHosts, '');
    const inv = writeInventory(lab, [{ name: host.name, vars: { ...labHostVars(lab, host), kelpie_known_hosts: knownHosts } }]);
    const refused = await runWith(inv, join(fixtures, 'ping.yaml'));
    assert.equal(refused.code, 4, refused.out + refused.err);
    const msg = String(resultOf(refused.report, 'say hello', host.name)?.result.msg);
    assert.match(msg, /host key is not known/);
    assert.match(msg, /--ssh-accept-new/);
    assert.equal(readFileSync(knownHosts, 'utf8'), '', 'nothing recorded without consent');

    const accepted = await runWith(inv, join(fixtures, 'ping.yaml'), ['--ssh-accept-new']);
    assert.equal(accepted.code, 0, accepted.out + accepted.err);
    const labKey = readFileSync(lab.knownHostsFile, 'utf8').split('\n').find((l) => l.startsWith(host.address + ' '));
    assert.ok(labKey);
    assert.equal(readFileSync(knownHosts, 'utf8').trim(), labKey.trim(), 'the real host key was appended');

    const again = await runWith(inv, join(fixtures, 'ping.yaml'));
    assert.equal(again.code, 0, 'the recorded key is trusted from now on');
  });

  it('a changed host key is refused even with --ssh-accept-new', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const knownHosts = join(mkdtempSync(join(tmpdir(), 'kelpie-kh-')), 'known_hosts');
    // a syntactically valid ed25519 key that is not this host's
    writeFileSync(knownHosts, `${host.address} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJkOijTcAZC0Ti3azp3lAUNnpIST7g5xVVODqNmDdtnX\n`);
    const inv = writeInventory(lab, [{ name: host.name, vars: { ...labHostVars(lab, host), kelpie_known_hosts: knownHosts } }]);
    const r = await runWith(inv, join(fixtures, 'ping.yaml'), ['--ssh-accept-new']);
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(String(resultOf(r.report, 'say hello', host.name)?.result.msg), /changed|mismatch|does not match|CHANGED/i);
  });
});
