/**
 * virtualization_type / virtualization_role / virtualization_tech_guest / _tech_host, as
 * Ansible 2.14 computes them on Linux (the decision is in virtualizationRules.ts). The
 * script reads what those checks read, in as few processes as the data allows: the files go
 * through the shared files grep, the existence probes are shell tests, ONE grep takes the
 * lines that matter from PID 1's environment, cpuinfo, our own status and the module list;
 * lscpu (IBM/S390 only) and dmidecode (only when it could change the answer) run rarely.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';
import { decideVirtualization, type HostVirtData } from './virtualizationRules.js';

const DMI = '/sys/devices/virtual/dmi/id';
const FILES = [
  '/proc/1/cgroup', '/run/systemd/container', '/proc/xen/capabilities',
  `${DMI}/product_name`, `${DMI}/sys_vendor`, `${DMI}/product_family`, `${DMI}/bios_vendor`,
];

/** Paths whose mere existence a check tests. */
const PROBED = ['/.dockerenv', '/.dockerinit', '/proc/vz', '/proc/lve', '/proc/bc', '/proc/xen', '/dev/kvm'];

/** What the ONE grep takes: environ entries with container= (NUL-separated, so -a -o and
 * no control characters), and the cpuinfo / status / modules lines the checks look at. */
const GREP_PATTERN = [
  '[^[:cntrl:]]*container=[^[:cntrl:]]*',
  '^(model name|vendor_id|machine).*',
  '^VxID:.*',
  '^(kvm|vboxdrv|virtio) ',
].join('|');
const GREPPED = ['/proc/1/environ', '/proc/cpuinfo', '/proc/self/status', '/proc/modules'];

const SCRIPT = [
  'echo ::exists::',
  `for kelpie_p in ${PROBED.join(' ')}; do [ -e "$kelpie_p" ] && echo "$kelpie_p"; done`,
  // Only a RHEV hypervisor has /rhev/: only there is every process's name read.
  "[ -d /rhev/ ] && grep -s -q -x -E 'vdsmd?' /proc/[0-9]*/comm && echo rhev_vdsm",
  `echo ::found::; grep -a -o -H -E '${GREP_PATTERN}' ${GREPPED.join(' ')} 2>/dev/null`,
  // lscpu matters only on IBM/S390, which says so in cpuinfo's first vendor_id line; read
  // with the shell's own `read`, stopping there (no process on other machines).
  "kelpie_s390=; while IFS= read -r kelpie_l; do case $kelpie_l in vendor_id*IBM/S390*) kelpie_s390=1; break;; vendor_id*) break;; esac; done 2>/dev/null < /proc/cpuinfo",
  'if [ -n "$kelpie_s390" ]; then if command -v lscpu >/dev/null 2>&1; then echo ::lscpu::; lscpu 2>/dev/null || echo ::lscpu-failed::; else echo ::no-lscpu::; fi; fi',
  // Ansible asks dmidecode (when installed) for the product name: the same SMBIOS string as
  // sysfs' product_name, so it can only change the answer when that file is unreadable or
  // names VMware / BHYVE; elsewhere it is not run.
  `kelpie_pn=; [ -r ${DMI}/product_name ] && read -r kelpie_pn < ${DMI}/product_name`,
  'if command -v dmidecode >/dev/null 2>&1; then case $kelpie_pn in \'\'|VMware*|*BHYVE*) echo ::dmidecode::; dmidecode -s system-product-name 2>/dev/null || echo ::dmidecode-failed::;; esac; fi',
  'true',
].join('\n');

/** The section's text → the data the checks read. */
export function hostVirtData(text: string): HostVirtData {
  const { files, subs } = splitSection(text);
  const file = (path: string) => (files.get(path) ?? '').trim();
  const lines = (s: string | undefined) => (s ?? '').split('\n').filter((l) => l !== '');
  const grepped = lines(subs.get('found'));
  const matchesOf = (path: string) => grepped.filter((l) => l.startsWith(`${path}:`)).map((l) => l.slice(path.length + 1));
  const cmd = (name: string) => (subs.has(name) && !subs.has(`${name}-failed`) ? subs.get(name) ?? '' : undefined);
  const exists = lines(subs.get('exists'));
  return {
    cgroup: lines(file('/proc/1/cgroup')),
    environ: matchesOf('/proc/1/environ'),
    exists: new Set(exists),
    systemdContainer: file('/run/systemd/container'),
    xenCapabilities: file('/proc/xen/capabilities'),
    productName: file(`${DMI}/product_name`),
    sysVendor: file(`${DMI}/sys_vendor`),
    productFamily: file(`${DMI}/product_family`),
    biosVendor: file(`${DMI}/bios_vendor`),
    vxid: matchesOf('/proc/self/status'),
    cpuinfo: matchesOf('/proc/cpuinfo'),
    modules: new Set(matchesOf('/proc/modules').map((l) => l.trim())),
    rhevVdsm: exists.includes('rhev_vdsm'),
    lscpu: subs.has('no-lscpu') ? null : cmd('lscpu'),
    dmidecode: cmd('dmidecode'),
  };
}

export function parseVirtualization(text: string): Facts {
  return { ...decideVirtualization(hostVirtData(text)) };
}

export const virtualizationFamily: FactFamily = { name: 'virtualization', subset: 'virtual', files: FILES, script: SCRIPT, parse: parseVirtualization };
