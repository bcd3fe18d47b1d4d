/**
 * Facts on a real lab host (Debian 12 minbase in its own namespaces) over ssh2: one
 * round trip, and the values the host's own tools report.
 */
import assert from 'node:assert/strict';
import { SshConnection } from '../../src/connection/index.js';
import { gatherFacts, gatherPackages } from '../../src/facts/index.js';
import { labDown, labPrerequisites, labUp, type Lab } from '../../src/lab/index.js';
import { assertSameVirt, expectedVirt } from '../facts/virtualizationGolden.js';

const LAB = 'factstest';

describe('lab: facts on a real host', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let conn: SshConnection | undefined;

  before(async function () {
    const pre = await labPrerequisites();
    if (!pre.ok) {
      if (process.env.CI === 'true') throw new Error(`lab prerequisites missing under CI: ${pre.missing.join(', ')}`);
      console.warn(`\n!!!!! SKIPPING lab facts tests: missing ${pre.missing.join(', ')} — they RUN under CI=true !!!!!\n`);
      this.skip();
    }
    lab = await labUp(1, { name: LAB });
    const h = lab.hosts[0]!;
    conn = new SshConnection({
      host: h.name, address: h.address, port: h.port, user: 'root', privateKeyFile: lab.privateKeyFile,
      knownHostsFile: lab.knownHostsFile, hostKeyChecking: true, acceptNewHostKeys: false,
      connectTimeoutMs: 20_000, commandTimeoutMs: 60_000, maxChannels: 4,
    });
    await conn.connect();
  });

  after(async () => {
    await conn?.close();
    await labDown(LAB);
  });

  it('gathers base facts in one command and they match the host', async () => {
    let calls = 0;
    const facts = await gatherFacts((cmd) => {
      calls++;
      return conn!.exec(cmd);
    });
    assert.equal(calls, 1);
    assert.equal(facts.os_family, 'Debian');
    assert.equal(facts.distribution_major_version, '12');
    assert.equal(facts.nodename, lab!.hosts[0]!.name);
    assert.equal(facts.user_id, 'root');
    assert.equal((facts.lo as { ipv4: { address: string } }).ipv4.address, '127.0.0.1');
    assert.ok((facts.all_ipv4_addresses as string[]).includes(lab!.hosts[0]!.address));
    assert.ok(Number(facts.memtotal_mb) > 0);
    assert.equal(facts.pkg_mgr, 'apt');
  });

  it('reports the virtualization facts Ansible 2.14 recorded for a lab host', async () => {
    const facts = await gatherFacts((cmd) => conn!.exec(cmd), { subset: ['!all', 'virtual'] });
    assertSameVirt(facts, expectedVirt('recorded/lab-debian12.ansible.json'), lab!.hosts[0]!.name);
  });

  it('lists the host\'s installed packages', async () => {
    const pkgs = await gatherPackages((cmd) => conn!.exec(cmd));
    assert.equal(pkgs['openssh-server']?.[0]?.source, 'apt');
  });
});
