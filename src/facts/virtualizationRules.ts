/**
 * The decision behind virtualization_type / _role / _tech_guest / _tech_host, following the
 * order of checks of Ansible 2.14's Linux virtual facts (module_utils/facts/virtual/linux.py):
 * the FIRST probe that matches decides type and role, every probe that matches adds to the
 * tech sets. Pure: it works on HostVirtData, the host's text already read by the script.
 */

/** What the host's files and commands said, as the checks need it. */
export interface HostVirtData {
  /** Lines of /proc/1/cgroup. */
  cgroup: string[];
  /** NUL-separated entries of /proc/1/environ that contain `container=`. */
  environ: string[];
  /** Which of the probed paths exist (/.dockerenv, /proc/vz, /dev/kvm, ...). */
  exists: ReadonlySet<string>;
  /** Files' contents, stripped ('' when missing or unreadable). */
  systemdContainer: string;
  xenCapabilities: string;
  productName: string;
  sysVendor: string;
  productFamily: string;
  biosVendor: string;
  /** `VxID:` lines of /proc/self/status (linux-vserver kernels only). */
  vxid: string[];
  /** /proc/cpuinfo lines starting with model name / vendor_id / machine, in file order. */
  cpuinfo: string[];
  /** Names of the loaded kernel modules among kvm, vboxdrv, virtio. */
  modules: ReadonlySet<string>;
  /** /rhev/ is a directory and a process named vdsm or vdsmd runs. */
  rhevVdsm: boolean;
  /** `lscpu` output when it ran and succeeded (IBM/S390 only); null: not on PATH. */
  lscpu: string | null | undefined;
  /** `dmidecode -s system-product-name` output when it ran and succeeded. */
  dmidecode: string | undefined;
}

export interface VirtFacts {
  virtualization_type: string;
  virtualization_role: string;
  /** Ansible returns sets; kelpie emits them in the order the checks first found each tech. */
  virtualization_tech_guest: string[];
  virtualization_tech_host: string[];
}

/** The running decision: type/role are taken by the first probe that matches. */
class Verdict {
  type: string | undefined;
  role: string | undefined;
  found = false;
  readonly guest = new Set<string>();
  readonly host = new Set<string>();

  /** A probe matched: record its tech; it decides type and role unless one already did. */
  hit(side: 'guest' | 'host', tech: string, role: string = side): void {
    (side === 'guest' ? this.guest : this.host).add(tech);
    this.decide(tech, role);
  }

  decide(type: string, role: string): void {
    if (this.found) return;
    this.type = type;
    this.role = role;
    this.found = true;
  }
}

const DOCKER_CGROUP = /\/docker(\/|-[0-9a-f]+\.scope)/;
const LXC_CGROUP = /\/lxc\/|\/machine\.slice\/machine-lxc/;
const CONTAINER_TECHS = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];

function containers(d: HostVirtData, v: Verdict): void {
  for (const line of d.cgroup) {
    if (DOCKER_CGROUP.test(line)) v.hit('guest', 'docker');
    if (LXC_CGROUP.test(line)) v.hit('guest', 'lxc');
    if (line.includes('/system.slice/containerd.service')) v.hit('guest', 'containerd');
  }
  for (const entry of d.environ) {
    if (entry.includes('container=lxc')) v.hit('guest', 'lxc');
    if (entry.includes('container=podman')) v.hit('guest', 'podman');
    if (/^container=./.test(entry)) v.hit('guest', 'container');
  }
  if (d.exists.has('/proc/vz') && !d.exists.has('/proc/lve')) {
    // OpenVZ overrides the type even when a container marker already decided it (Ansible does).
    const role = d.exists.has('/proc/bc') ? 'host' : 'guest';
    (role === 'host' ? v.host : v.guest).add('openvz');
    if (!v.found) v.role = role;
    v.type = 'openvz';
    v.found = true;
  }
  if (d.systemdContainer) v.hit('guest', d.systemdContainer);
  if (d.exists.has('/.dockerenv') || d.exists.has('/.dockerinit')) v.hit('guest', 'docker');
  if (d.systemdContainer || CONTAINER_TECHS.some((t) => v.guest.has(t))) v.guest.add('container');
}

function xen(d: HostVirtData, v: Verdict): void {
  if (!d.exists.has('/proc/xen')) return;
  // A domU adds no tech here (only the DMI bios_vendor check below may say xen).
  if (d.xenCapabilities.split('\n').some((l) => l.includes('control_d'))) v.hit('host', 'xen');
  else v.decide('xen', 'guest');
}

/** [matches, tech] on DMI strings, in Ansible's order; every DMI hit is a guest. */
const DMI_CHECKS: [(d: HostVirtData) => boolean, string][] = [
  [(d) => ['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(d.productName), 'kvm'],
  [(d) => d.sysVendor === 'oVirt', 'oVirt'],
  [(d) => d.sysVendor === 'Red Hat' && d.productFamily === 'RHV', 'RHV'],
  [(d) => d.sysVendor === 'Red Hat' && d.productFamily !== 'RHV' && d.productName === 'RHEV Hypervisor', 'RHEV'],
  [(d) => ['VMware Virtual Platform', 'VMware7,1'].includes(d.productName), 'VMware'],
  [(d) => ['OpenStack Compute', 'OpenStack Nova'].includes(d.productName), 'openstack'],
  [(d) => d.biosVendor === 'Xen', 'xen'],
  [(d) => d.biosVendor === 'innotek GmbH', 'virtualbox'],
  [(d) => ['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(d.biosVendor), 'kvm'],
  [(d) => ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(d.sysVendor), 'kvm'],
  [(d) => d.sysVendor === 'KubeVirt', 'KubeVirt'],
  // Ansible calls every Microsoft machine VirtualPC (Hyper-V included).
  [(d) => d.sysVendor === 'Microsoft Corporation', 'VirtualPC'],
  [(d) => d.sysVendor === 'Parallels Software International Inc.', 'parallels'],
  [(d) => d.sysVendor === 'OpenStack Foundation', 'openstack'],
];

function vserver(d: HostVirtData, v: Verdict): void {
  for (const line of d.vxid) {
    if (!/^VxID:\s+\d+/.test(line)) continue;
    if (/^VxID:\s+0/.test(line)) v.hit('host', 'linux_vserver');
    else v.hit('guest', 'linux_vserver');
  }
}

/** [line pattern, tech] of /proc/cpuinfo, tried in this order on each line. */
const CPUINFO: [RegExp, string][] = [
  [/^model name.*QEMU Virtual CPU/, 'kvm'],
  [/^vendor_id.*User Mode Linux/, 'uml'],
  [/^model name.*UML/, 'uml'],
  [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm'],
  [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86'],
  [/^vendor_id.*IBM\/S390/, 'PR/SM'],
];

function cpuinfo(d: HostVirtData, v: Verdict): void {
  for (const line of d.cpuinfo) {
    const tech = CPUINFO.find(([re]) => re.test(line))?.[1];
    if (!tech) continue;
    v.guest.add(tech);
    let type = tech;
    if (tech === 'PR/SM') {
      // On s390 the hypervisor lscpu names (z/VM, KVM...) is the type; no lscpu: ibm_systemz.
      if (d.lscpu === null) type = 'ibm_systemz';
      for (const l of (d.lscpu ?? '').split('\n')) {
        const colon = l.indexOf(':');
        if (colon < 0 || l.slice(0, colon).trim() !== 'Hypervisor') continue;
        type = l.slice(colon + 1).trim();
      }
      if (type !== 'PR/SM') v.guest.add(type);
    }
    v.decide(type, type === 'PR/SM' ? 'LPAR' : 'guest');
  }
}

function kernelModules(d: HostVirtData, v: Verdict): void {
  if (d.modules.has('kvm')) {
    v.host.add('kvm');
    if (d.rhevVdsm) v.host.add('RHEV');
    v.decide(d.rhevVdsm ? 'RHEV' : 'kvm', 'host');
  }
  if (d.modules.has('vboxdrv')) v.hit('host', 'virtualbox');
  // virtio loaded says "kvm guest" for the type but Ansible files the tech under host.
  if (d.modules.has('virtio')) {
    v.host.add('kvm');
    v.decide('kvm', 'guest');
  }
}

function dmidecode(d: HostVirtData, v: Verdict): void {
  if (d.dmidecode === undefined) return;
  const name = d.dmidecode.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.trim()).join('');
  if (name.startsWith('VMware')) v.hit('guest', 'VMware');
  if (d.dmidecode.includes('BHYVE')) v.hit('guest', 'bhyve');
}

export function decideVirtualization(d: HostVirtData): VirtFacts {
  const v = new Verdict();
  containers(d, v);
  xen(d, v);
  for (const [matches, tech] of DMI_CHECKS) if (matches(d)) v.hit('guest', tech);
  vserver(d, v);
  cpuinfo(d, v);
  kernelModules(d, v);
  dmidecode(d, v);
  if (d.exists.has('/dev/kvm')) v.hit('host', 'kvm');
  return {
    virtualization_type: v.type ?? 'NA',
    virtualization_role: v.role ?? 'NA',
    virtualization_tech_guest: [...v.guest],
    virtualization_tech_host: [...v.host],
  };
}
