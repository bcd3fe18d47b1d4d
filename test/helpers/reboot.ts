/**
 * A simulated reboot of a lab host's network state: powerOff() takes away what a power
 * cycle loses (addresses, policy rules, routes, the forwarding/ARP sysctls, the IPVS
 * table), then a boot function runs what the host's boot runs on its persisted files.
 * Everything happens in the host's own network namespace, through runInHost (not over
 * SSH: the host's network is down in between).
 */
import { runInHost, type LabHost } from '../../src/lab/index.js';
import { shOk } from './labRoles.js';

export interface NetworkState {
  addresses: string;
  rules: string;
  routes: string;
  sysctls: string;
  ipvs: string;
}

/** The sysctls the IPVS play sets (per network namespace, so safe to write inside a lab host). */
const SYSCTLS = ['net.ipv4.ip_forward', 'net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce', 'net.ipv4.conf.eth0.arp_ignore', 'net.ipv4.conf.eth0.arp_announce'];

/** `ip addr`, `ip rule`, `ip route show table all` (IPv4) and the sysctls, as text to compare. */
export async function networkState(host: LabHost): Promise<NetworkState> {
  const [addresses, rules, routes, sysctls, ipvs] = await Promise.all([
    // one line per address, without the lifetime part
    shOk(host, "ip -4 -o addr show | sed 's/\\\\ .*valid_lft.*//'"),
    shOk(host, 'ip rule show'),
    shOk(host, 'ip -4 route show table all'),
    shOk(host, `sysctl ${SYSCTLS.join(' ')}`),
    // sorted: the kernel lists a service's newest real server first, so a save + restore
    // (ipvsadm -S, then -R at boot) lists them in the opposite order, same table
    shOk(host, '{ [ -x /usr/local/sbin/ipvsadm ] && ipvsadm -S -n || true; } | LC_ALL=C sort'),
  ]);
  return { addresses, rules, routes, sysctls, ipvs };
}

/** What a power cycle takes away. The kernel's defaults come back: only the local, main and default rules; sysctls 0. */
export async function powerOff(host: LabHost): Promise<void> {
  await shOk(
    host,
    [
      'set -e',
      'ip link set eth0 down',
      'ip addr flush dev eth0',
      'ip addr flush dev lo',
      'ip link set lo down',
      'ip rule flush',
      'ip rule add pref 32766 lookup main',
      'ip rule add pref 32767 lookup default',
      'ip route flush table all',
      `for k in ${SYSCTLS.join(' ')}; do sysctl -qw "$k=0"; done`,
      '[ ! -x /usr/local/sbin/ipvsadm ] || ipvsadm -C',
      'rm -rf /run/network',
    ].join('\n'),
  );
}

/**
 * Debian's boot: systemd-sysctl applies /etc/sysctl.d/*.conf and friends (procps' `sysctl
 * --system`, limited to net.* keys: the others are the machine's, not the lab host's),
 * networking runs `ifup -a` on /etc/network/interfaces, and Debian's ipvsadm init script
 * loads /etc/ipvsadm.rules when /etc/default/ipvsadm says AUTO="true" (its load() line,
 * with the replayed ipvsadm: the script itself calls /sbin/ipvsadm, which needs ip_vs).
 */
export async function bootDebian(host: LabHost): Promise<void> {
  await shOk(
    host,
    [
      'set -e',
      "sysctl -q --system --pattern '^net\\.'",
      'mkdir -p /run/network',
      'ifup -a',
      'if [ -f /etc/default/ipvsadm ] && . /etc/default/ipvsadm && [ "$AUTO" = true ]; then grep -v "^#" /etc/ipvsadm.rules | ipvsadm -R; fi',
    ].join('\n'),
  );
}

/**
 * CentOS 5's boot, REPLAYED as the commands its scripts run on the persisted files (the
 * replayed host has none of rc.sysinit, the network service or ifup-routes): rc.sysinit
 * `sysctl -e -p /etc/sysctl.conf`; the network service brings up lo and eth0 (ifcfg-eth0
 * would give the host's own address: the lab's address stands in for it) and ifup-routes
 * adds each line of route-eth0 (`ip route add LINE dev eth0`) and rule-eth0 (`ip rule add
 * LINE`); rc.local runs last.
 */
export async function bootReplayedCentos5(host: LabHost): Promise<void> {
  const scripts = '/etc/sysconfig/network-scripts';
  await shOk(
    host,
    [
      'set -e',
      'sysctl -q -e -p /etc/sysctl.conf',
      // bringing lo up gives it 127.0.0.1 again already
      'ip link set lo up && ip addr replace 127.0.0.1/8 dev lo',
      `ip link set eth0 up && ip addr add ${host.address}/24 brd + dev eth0`,
      `if [ -f ${scripts}/route-eth0 ]; then while read -r line; do [ -z "$line" ] || ip route add $line dev eth0; done < ${scripts}/route-eth0; fi`,
      `if [ -f ${scripts}/rule-eth0 ]; then while read -r line; do [ -z "$line" ] || ip rule add $line; done < ${scripts}/rule-eth0; fi`,
      '[ ! -x /etc/rc.d/rc.local ] || /etc/rc.d/rc.local',
    ].join('\n'),
  );
}

/** True when the host answers nothing on its lab address any more (the power-off really took the network away). */
export async function networkIsDown(host: LabHost): Promise<boolean> {
  const r = await runInHost(host, ['sh', '-c', 'ip -4 -o addr show dev eth0 | grep -q inet']);
  return r.rc !== 0;
}
