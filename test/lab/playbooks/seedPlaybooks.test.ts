/**
 * The seed playbooks on real lab hosts: each one's check run changes nothing and names the
 * tasks the real run changes, and its second run changes nothing (assertContract). Roles a
 * Debian lab host cannot have (Xen dom0, CentOS, a kernel with ip_vs) use the replayed
 * stand-ins, and the test names say so. One lab for the whole file.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost, type Lab } from '../../../src/lab/index.js';
import { prepareRoles, type DemoRole } from '../../../src/lab/demoLayout.js';
import { withGroups } from '../../helpers/roleLab.js';
import { assertContract, runPlaybook, useLab } from '../../helpers/labHarness.js';

const playbooks = join(dirname(fileURLToPath(import.meta.url)), '../../../playbooks');
const pb = (name: string): string => join(playbooks, name);

describe('lab: the seed playbooks (check mode predicts, second run changes nothing)', function () {
  this.timeout(900_000);
  // timezone, Xen, SELinux, exec-stack and process limits: seedEffects.test.ts (with their verify tasks)
  const h = useLab('seedpb', 2);
  const ROLES: DemoRole[][] = [['mail', 'lb_backend'], ['lb_frontend']];
  let lab: Lab;

  before(async function () {
    this.timeout(60_000);
    const raw = h.lab();
    for (const [i, host] of raw.hosts.entries()) await prepareRoles(host, ROLES[i] ?? []);
    lab = withGroups(raw, ROLES);
  });

  it('spamassassin-milter on Debian: one score for both, spamd as spamassassin; a mismatched score FAILS naming both values', async () => {
    const host = lab.hosts[0]!;
    await assertContract(lab, host, pb('spamassassin-milter.yaml'));
    const spamd = await runInHost(host, ['grep', '^OPTIONS=', '/etc/default/spamd']);
    assert.match(spamd.stdout, /--create-prefs .*-u spamassassin -g spamassassin"/, 'other options kept');
    await runInHost(host, ['sed', '-i', 's/-r 5"/-r 3"/', '/etc/default/spamass-milter']);
    const guard = await runPlaybook(lab, pb('spamassassin-milter.yaml'), ['--tags', 'score_guard'], host.name);
    assert.equal(guard.code, 2, 'the play fails');
    assert.match(guard.out, /spamass-milter rejects at 3 .*required_score is 5/);
  });
  it('ipvs-loadbalancer (replayed ipvsadm): VIP on the front end, lo:0 /32 + policy routing on the back end, Postfix bound to the VIP (after the mail play, as in site.yaml)', async () => {
    const [back, front] = [lab.hosts[0]!, lab.hosts[1]!];
    await assertContract(lab, front, pb('ipvs-loadbalancer.yaml'));
    const auto = await runInHost(front, ['grep', '-x', 'AUTO="true"', '/etc/default/ipvsadm']);
    assert.equal(auto.rc, 0, 'the saved rules are restored at boot');
    const rules = await runInHost(front, ['cat', '/etc/ipvsadm.rules']);
    assert.match(rules.stdout, /-A -t \S+:25 -s lblc -p 300/);
    assert.match(rules.stdout, /-a -t \S+:25 -r \S+\.100:25 -g/);
    await assertContract(lab, back, pb('ipvs-loadbalancer.yaml'));
    const lo = await runInHost(back, ['ip', '-4', 'addr', 'show', 'dev', 'lo']);
    assert.match(lo.stdout, /\.200\/32 .*lo:0/);
    const rule = await runInHost(back, ['ip', 'rule']);
    assert.match(rule.stdout, /from \S+\.100 lookup 1/);
    const arp = await runInHost(back, ['sysctl', '-n', 'net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce']);
    assert.equal(arp.stdout, '1\n2\n');
    const inet = await runInHost(back, ['postconf', '-h', 'inet_interfaces']);
    assert.match(inet.stdout, /\.100, \S+\.200$/m);
  });

});
