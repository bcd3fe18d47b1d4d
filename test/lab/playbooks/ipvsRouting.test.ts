/**
 * playbooks/ipvs-loadbalancer.yaml end to end on lab hosts. What is real: the kernel's
 * addresses, ARP, policy routing and sysctls of each host's own network namespace, the
 * Debian hosts' ifupdown and procps at the simulated boot, ARP seen from a client host
 * with arping. What is replayed: IPVS itself (the kernel has no ip_vs, so the front end's
 * ipvsadm is the stand-in, restored at boot the way Debian's init script does), and the
 * CentOS 5 back end (a Debian host with the Red Hat profile; its boot scripts are replayed
 * as the commands CentOS 5 runs on the persisted files).
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost, type Lab, type LabHost } from '../../../src/lab/index.js';
import { assertContract, runPlaybook, useLab } from '../../helpers/labHarness.js';
import { labWithRoles, shOk as sh } from '../../helpers/labRoles.js';
import { bootDebian, bootReplayedCentos5, networkIsDown, networkState, powerOff } from '../../helpers/reboot.js';

const PLAYBOOK = join(dirname(fileURLToPath(import.meta.url)), '../../../playbooks/ipvs-loadbalancer.yaml');

const mac = async (host: LabHost): Promise<string> => (await sh(host, 'cat /sys/class/net/eth0/address')).trim().toLowerCase();

/** arping's reply lines from `client` for `addr`: the MAC address of every host that answered. */
async function arpAnswers(client: LabHost, addr: string): Promise<string[]> {
  const r = await runInHost(client, ['arping', '-c', '3', '-w', '4', '-I', 'eth0', addr]);
  return [...r.stdout.matchAll(/reply from \S+ \[([0-9A-Fa-f:]+)\]/g)].map((m) => m[1]!.toLowerCase());
}

describe('lab: ipvs-loadbalancer end to end (real ARP, routes and sysctls; IPVS replayed; CentOS 5 replayed)', function () {
  this.timeout(900_000);
  const h = useLab('ipvsroute', 4);
  let lab: Lab;
  let back: LabHost;
  let front: LabHost;
  let client: LabHost;
  let centos: LabHost;
  let vip: string;

  before(async function () {
    this.timeout(300_000);
    lab = await labWithRoles(h.lab(), [['lb_backend'], ['lb_frontend'], [], ['lb_backend', 'centos']]);
    [back, front, client, centos] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];
    vip = `${back.address.split('.').slice(0, 3).join('.')}.200`;
    // Debian hosts as installed: ifupdown with the host's own address in /etc/network/interfaces.
    for (const host of [back, front]) {
      await sh(host, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q ifupdown >/dev/null');
      await sh(host, `printf '\\nauto lo\\niface lo inet loopback\\n\\nauto eth0\\niface eth0 inet static\\n    address ${host.address}/24\\n' >> /etc/network/interfaces`);
    }
    await sh(client, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q iputils-arping >/dev/null');
    // Every host starts as booted from its own files, so the comparison after the
    // simulated reboot sees only what the playbook persisted (or failed to).
    for (const host of [back, front]) {
      await powerOff(host);
      await bootDebian(host);
    }
    await powerOff(centos);
    await bootReplayedCentos5(centos);
  });

  it('check predicts, the run configures, the second run changes nothing: front end, Debian back end, replayed CentOS 5 back end', async () => {
    await assertContract(lab, front, PLAYBOOK);
    await assertContract(lab, back, PLAYBOOK);
    await assertContract(lab, centos, PLAYBOOK);
  });

  it('replayed CentOS 5: asked to keep the settings in /etc/sysctl.d/, the sysctl task FAILS (its boot reads only /etc/sysctl.conf)', async () => {
    const r = await runPlaybook(lab, PLAYBOOK, ['-e', 'lb_sysctl_file=/etc/sysctl.d/60-ipvs.conf'], centos.name);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /CentOS 5 does not read \/etc\/sysctl\.d\/ at boot \(its rc\.sysinit applies \/etc\/sysctl\.conf only\)/);
    assert.equal((await runInHost(centos, ['test', '-e', '/etc/sysctl.d/60-ipvs.conf'])).rc, 1, 'nothing written there');
  });

  it("the playbook's verify tasks pass on all three hosts", async () => {
    const v = await runPlaybook(lab, PLAYBOOK, ['--tags', 'verify']);
    assert.equal(v.code, 0, v.out);
    const checks = v.report.plays.flatMap((p) => p.tasks).filter((t) => /holds/.test(t.name));
    assert.deepEqual(checks.flatMap((t) => Object.entries(t.hosts).map(([n, r]) => `${n}:${r.status}`)).sort(), [back, centos, front].map((x) => `${x.name}:ok`).sort());
  });

  it('only the front end answers ARP for the VIP; the back ends hold it on lo as /32 and stay silent (arping from a client)', async () => {
    assert.deepEqual([...new Set(await arpAnswers(client, vip))], [await mac(front)]);
    for (const b of [back, centos]) assert.match(await sh(b, 'ip -4 -o addr show dev lo'), new RegExp(`inet ${vip.replace(/\./g, '\\.')}/32 scope global lo:0`));
    // with the front end's VIP gone, nobody answers: the back ends really ignore ARP for it...
    await sh(front, `ip addr del ${vip}/24 dev eth0`);
    try {
      assert.deepEqual(await arpAnswers(client, vip), [], 'no back end answers ARP for the VIP');
      // ...and the check can see a back end that does (arp_ignore=0, the kernel default)
      await sh(back, 'sysctl -qw net.ipv4.conf.all.arp_ignore=0');
      assert.deepEqual([...new Set(await arpAnswers(client, vip))], [await mac(back)]);
    } finally {
      await sh(back, 'sysctl -qw net.ipv4.conf.all.arp_ignore=1');
      await sh(front, `ip addr add ${vip}/24 dev eth0 broadcast +`);
    }
  });

  it("'ip route get' from the VIP and from the back-end address leaves through table 1 via the front end", async () => {
    for (const b of [back, centos]) {
      const own = (await sh(b, 'ip -4 -o addr show dev eth0')).match(/inet (\S+\.1\d\d)\/24/)?.[1];
      assert.ok(own, 'the back-end address is on eth0');
      for (const src of [vip, own]) {
        const r = await sh(b, `ip route get 192.0.2.1 from ${src}`);
        assert.match(r, new RegExp(`^192\\.0\\.2\\.1 from ${src.replace(/\./g, '\\.')} via ${front.address.replace(/\./g, '\\.')} dev eth0 table 1 `), `${b.name} from ${src}`);
      }
    }
  });

  it('after a simulated reboot (state flushed, then the boot restores from the persisted files) every host is back to the same addresses, rules, routes and sysctls', async () => {
    for (const [host, boot] of [[front, bootDebian], [back, bootDebian], [centos, bootReplayedCentos5]] as const) {
      const before = await networkState(host);
      await powerOff(host);
      assert.ok(await networkIsDown(host), `${host.name}: powered off`);
      assert.doesNotMatch((await networkState(host)).addresses, new RegExp(vip.replace(/\./g, '\\.')));
      await boot(host);
      assert.deepEqual(await networkState(host), before, `${host.name}: the same state after the reboot`);
    }
    const v = await runPlaybook(lab, PLAYBOOK, ['--tags', 'verify']);
    assert.equal(v.code, 0, `verify after the reboot:\n${v.out}`);
    assert.deepEqual([...new Set(await arpAnswers(client, vip))], [await mac(front)]);
  });
});
