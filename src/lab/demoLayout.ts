/**
 * The host roles the demo (and the playbook lab tests) give lab hosts: which groups each
 * host joins, the addresses the IPVS play needs (all inside the lab's own subnet), and the
 * stand-ins and replayed files a role needs on a Debian lab host (Xen dom0, CentOS).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { LabHost } from './types.js';
import { installStandins } from './standins/install.js';

export type DemoRole = 'mail' | 'lb_frontend' | 'lb_backend' | 'xen_dom0' | 'selinux' | 'centos';

/**
 * The replayed dom0's domains (the stand-in's first state) and their configs, as a real
 * dom0 would have them: each domain was started from its config, so its VCPU slots are
 * the config's maxvcpus (or vcpus). lenny32 was started with one slot, so a second VCPU
 * needs a restart; unstable was started with 4, above the seed's cap of 2.
 */
const XEN_DOMAINS = [
  { name: 'Domain-0', id: 0, mem: 2048, vcpus: 4, max: 8, state: 'r-----', cpu: 7503.3, uptime: 97445 },
  { name: 'demo', id: 1, mem: 128, vcpus: 1, max: 1, state: '-b----', cpu: 622.1, uptime: 1036800 },
  { name: 'lenny32', id: 3, mem: 256, vcpus: 1, max: 1, state: '-b----', cpu: 21463.0, uptime: 1036862 },
  { name: 'unstable', id: 4, mem: 256, vcpus: 4, max: 4, state: '-b----', cpu: 2592.0, uptime: 864000 },
];
const XEN_CONFIGS: Record<string, string> = {
  demo: 'name = "demo"\nmemory = 128\nvcpus = 1\n',
  lenny32: 'name = "lenny32"\nmemory = 256\nvcpus = 1\n',
  unstable: 'name = "unstable"\nmemory = 256\nvcpus = 4\n',
};

async function writeInHost(host: LabHost, path: string, content: string): Promise<void> {
  const target = join(host.rootDir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}

/** Stand-ins and replayed files for the roles that cannot exist on a Debian lab host. */
export async function prepareRoles(host: LabHost, roles: readonly DemoRole[]): Promise<void> {
  if (roles.includes('lb_frontend')) await installStandins(host, ['ipvsadm']);
  if (roles.includes('xen_dom0')) {
    await installStandins(host, ['xl', 'xen-dom0']);
    await writeInHost(host, '/etc/kelpie-standin/xen-domains.json', JSON.stringify(XEN_DOMAINS));
    for (const [name, cfg] of Object.entries(XEN_CONFIGS)) await writeInHost(host, `/etc/xen/${name}.cfg`, cfg);
  }
  if (roles.includes('centos')) await installStandins(host, ['redhat-profile', 'rpm', 'yum', 'chkconfig']);
  // Lab hosts have no DNS (an empty resolv.conf): SpamAssassin's blocklist lookups would go
  // unanswered and a real spamd would wait out rbl_timeout (15 s) on every message. The
  // milter, Postfix and spamd plumbing under test is the same without them; dpkg keeps this
  // file when the packages later install into /etc/spamassassin. (A replayed CentOS host
  // runs no spamd.)
  if (roles.includes('mail') && !roles.includes('centos')) await writeInHost(host, '/etc/spamassassin/kelpie-lab-no-dns.cf', 'dns_available no\n');
}

/** The third octet's /24 of a lab host address: 10.203.7.11 → 10.203.7 */
const net24 = (addr: string): string => addr.split('.').slice(0, 3).join('.');

/**
 * Inventory groups and variables for hosts with roles. The service address and the back
 * ends' service-side addresses are free addresses in the lab's own /24 (.200, .100+i),
 * so every packet stays on the lab bridge.
 */
export function demoGroups(assign: readonly { host: LabHost; roles: readonly DemoRole[] }[], extraVars: Record<string, unknown> = {}): string {
  const groups: Record<string, Record<string, Record<string, unknown>>> = {
    mail_servers: {}, lb_frontends: {}, lb_backends: {}, xen_dom0: {}, selinux: {},
  };
  const front = assign.find((a) => a.roles.includes('lb_frontend'));
  const base = net24((front ?? assign[0])!.host.address);
  assign.forEach(({ host, roles }, i) => {
    // A replayed CentOS host's daemons never read mail: its SMTP verify task cannot run.
    if (roles.includes('mail')) groups.mail_servers![host.name] = roles.includes('centos') ? { spamass_verify_smtp: false } : {};
    if (roles.includes('lb_frontend')) groups.lb_frontends![host.name] = {};
    if (roles.includes('lb_backend')) groups.lb_backends![host.name] = { backend_address: `${base}.${100 + i}`, backend_address_prefix: 24 };
    // The replayed dom0's domains are nearly idle (lenny32 2.07% of one CPU): a 1% threshold
    // makes the demo show a VCPU change.
    if (roles.includes('xen_dom0')) groups.xen_dom0![host.name] = { xen_busy_percent: 1 };
    if (roles.includes('selinux')) groups.selinux![host.name] = {};
  });
  const children: Record<string, unknown> = {};
  for (const [g, hosts] of Object.entries(groups)) {
    const entries = Object.fromEntries(Object.entries(hosts).map(([h, v]) => [h, Object.keys(v).length ? v : null]));
    children[g] = { hosts: entries };
  }
  const vars: Record<string, unknown> = { lb_vip: `${base}.200`, lb_port: 25, ...extraVars };
  if (front) vars.lb_gateway = front.host.address;
  return stringify({ all: { vars, children } });
}
