/**
 * virtualization_type / virtualization_role (+ Ansible's tech_guest / tech_host lists).
 * Probes, in Ansible's order of trust: container markers (/.dockerenv,
 * /run/.containerenv, container= in PID 1's environment, /proc/1/cgroup, systemd's
 * /run/systemd/container), OpenVZ, Xen (/proc/xen/capabilities "control_d" = dom0),
 * DMI product/vendor names, and finally the CPU's `hypervisor` flag.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

const FILES = [
  '/proc/xen/capabilities', '/sys/class/dmi/id/product_name', '/sys/class/dmi/id/sys_vendor',
  '/sys/class/dmi/id/bios_vendor', '/proc/1/cgroup', '/run/systemd/container',
];

const WORD_EDGE = '(^|[^[:alnum:]_])';
const WORD_END = '([^[:alnum:]_]|$)';
const HYPERVISOR_WORD = /(^|[^A-Za-z0-9_])hypervisor([^A-Za-z0-9_]|$)/;

const SCRIPT = [
  'echo ::markers::',
  '[ -e /.dockerenv ] && echo dockerenv',
  '[ -e /run/.containerenv ] && echo containerenv',
  '[ -d /proc/xen ] && echo proc_xen',
  '[ -d /proc/vz ] && echo proc_vz',
  '[ -d /proc/bc ] && echo proc_bc',
  // ONE grep for PID 1's container= (its environment is NUL-separated and root-only: -a -o
  // prints just the matches) and the CPU's hypervisor flag as a word (what `grep -w` finds:
  // the word with the non-word characters around it); -H tells the files' matches apart.
  `echo ::found::; grep -a -o -H -E 'container=[A-Za-z0-9_.-]*|${WORD_EDGE}hypervisor${WORD_END}' /proc/1/environ /proc/cpuinfo 2>/dev/null`,
  'true',
].join('\n');

interface Finding {
  type: string;
  role: 'guest' | 'host';
}

const DMI: [RegExp, string][] = [
  [/KVM|Standard PC|OpenStack|Google Compute Engine/, 'kvm'],
  [/VMware/, 'VMware'],
  [/VirtualBox/, 'virtualbox'],
  [/HVM domU/, 'xen'],
  [/Bochs/, 'kvm'],
  [/RHEV Hypervisor/, 'RHEV'],
  [/Parallels/, 'parallels'],
  [/^Virtual Machine$/, 'hyperv'],
];

const VENDOR: [RegExp, string][] = [
  [/QEMU/, 'kvm'],
  [/Amazon EC2/, 'kvm'],
  [/oVirt/, 'oVirt'],
  [/Microsoft Corporation/, 'hyperv'],
  [/Xen/, 'xen'],
  [/innotek GmbH|Oracle Corporation/, 'virtualbox'],
  [/VMware/, 'VMware'],
];

export function parseVirtualization(text: string): Facts {
  const { files, subs } = splitSection(text);
  const markers = new Set((subs.get('markers') ?? '').split('\n').map((s) => s.trim()).filter(Boolean));
  const found: Finding[] = [];
  const add = (type: string, role: 'guest' | 'host') => {
    if (!found.some((f) => f.type === type && f.role === role)) found.push({ type, role });
  };
  const cgroup = files.get('/proc/1/cgroup') ?? '';
  const grepped = (subs.get('found') ?? '').split('\n');
  const matchesOf = (file: string) => grepped.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1));
  const envContainer = matchesOf('/proc/1/environ').find((m) => m.startsWith('container='))?.slice('container='.length).trim();
  const cpuHypervisor = matchesOf('/proc/cpuinfo').some((m) => HYPERVISOR_WORD.test(m));
  const sdContainer = files.get('/run/systemd/container')?.trim();
  if (markers.has('dockerenv') || /\/docker[/-]/.test(cgroup)) add('docker', 'guest');
  if (markers.has('containerenv')) add('podman', 'guest');
  if (/\/lxc[/.]/.test(cgroup)) add('lxc', 'guest');
  if (envContainer) add(envContainer === 'oci' ? 'podman' : envContainer, 'guest');
  if (sdContainer) add(sdContainer, 'guest');
  if (markers.has('proc_vz')) add('openvz', markers.has('proc_bc') ? 'host' : 'guest');
  if (markers.has('proc_xen') || files.has('/proc/xen/capabilities')) {
    add('xen', /control_d/.test(files.get('/proc/xen/capabilities') ?? '') ? 'host' : 'guest');
  }
  const product = files.get('/sys/class/dmi/id/product_name')?.trim() ?? '';
  const vendor = files.get('/sys/class/dmi/id/sys_vendor')?.trim() ?? '';
  for (const [re, type] of DMI) if (product && re.test(product)) add(type, 'guest');
  for (const [re, type] of VENDOR) if (vendor && re.test(vendor)) add(type, 'guest');
  if (cpuHypervisor && !found.some((f) => f.role === 'guest' && !['docker', 'podman', 'lxc', 'openvz'].includes(f.type))) {
    // A hypervisor flag without DMI (no /sys/class/dmi in many containers): a VM of
    // unknown make; KVM is by far the common case and what Ansible would report.
    add('kvm', 'guest');
  }
  const first = found[0];
  return {
    virtualization_type: first?.type ?? 'NA',
    virtualization_role: first?.role ?? 'NA',
    virtualization_tech_guest: found.filter((f) => f.role === 'guest').map((f) => f.type),
    virtualization_tech_host: found.filter((f) => f.role === 'host').map((f) => f.type),
  };
}

export const virtualizationFamily: FactFamily = { name: 'virtualization', subset: 'virtual', files: FILES, script: SCRIPT, parse: parseVirtualization };
