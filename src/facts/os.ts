/**
 * Distribution facts (distribution, *_version, *_release, os_family, lsb) from
 * /etc/os-release, /etc/redhat-release (older CentOS/RHEL have no os-release),
 * /etc/debian_version and /etc/lsb-release. No lsb_release run: it is a slow Python
 * script on Debian, and its answer equals what os-release says.
 */
import { parseKeyValues, splitSection, type FactFamily, type Facts } from './section.js';

const FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/redhat-release', '/etc/debian_version', '/etc/lsb-release', '/etc/alpine-release'];

const NAMES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', raspbian: 'Debian', linuxmint: 'Linux Mint', kali: 'Kali', devuan: 'Devuan',
  centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux', ol: 'OracleLinux',
  amzn: 'Amazon', scientific: 'Scientific', alpine: 'Alpine', arch: 'Archlinux', sles: 'SLES',
  'opensuse-leap': 'openSUSE Leap', 'opensuse-tumbleweed': 'openSUSE Tumbleweed', gentoo: 'Gentoo',
};

const FAMILY: Record<string, string> = {
  Debian: 'Debian', Ubuntu: 'Debian', 'Linux Mint': 'Debian', Kali: 'Debian', Devuan: 'Debian',
  RedHat: 'RedHat', CentOS: 'RedHat', Fedora: 'RedHat', Rocky: 'RedHat', AlmaLinux: 'RedHat', OracleLinux: 'RedHat',
  Amazon: 'RedHat', Scientific: 'RedHat', SLES: 'Suse', 'openSUSE Leap': 'Suse', 'openSUSE Tumbleweed': 'Suse',
  Alpine: 'Alpine', Archlinux: 'Archlinux', Gentoo: 'Gentoo',
};

/** "CentOS release 6.10 (Final)", "Red Hat Enterprise Linux Server release 7.9 (Maipo)". */
export function parseRedhatRelease(text: string): { distribution: string; version: string; release: string } | undefined {
  const m = /^(.*?)\s+release\s+([\d.]+)\s*(?:\(([^)]*)\))?/.exec(text.trim());
  if (!m) return undefined;
  const name = m[1]!;
  const distribution = /^Red Hat Enterprise/.test(name) ? 'RedHat' : /^CentOS/.test(name) ? 'CentOS' : /^Rocky/.test(name) ? 'Rocky'
    : /^AlmaLinux/.test(name) ? 'AlmaLinux' : /^Fedora/.test(name) ? 'Fedora' : /^Scientific/.test(name) ? 'Scientific'
    : /^Oracle/.test(name) ? 'OracleLinux' : name.replace(/\s+Linux$/, '');
  // CentOS 7's "7.9.2009" is reported as 7.9, as Ansible does.
  const version = distribution === 'CentOS' ? m[2]!.split('.').slice(0, 2).join('.') : m[2]!;
  return { distribution, version, release: m[3] ?? 'NA' };
}

export function parseOs(text: string): Facts {
  const { files } = splitSection(text);
  const osr = parseKeyValues(files.get('/etc/os-release') ?? files.get('/usr/lib/os-release'));
  const rh = files.has('/etc/redhat-release') ? parseRedhatRelease(files.get('/etc/redhat-release')!) : undefined;
  const id = (osr.ID ?? '').toLowerCase();
  let distribution = NAMES[id] ?? (osr.NAME ? osr.NAME.split(' ')[0]! : rh?.distribution ?? 'NA');
  let version = osr.VERSION_ID ?? 'NA';
  let release = osr.VERSION_CODENAME || (osr.UBUNTU_CODENAME ?? '') || 'NA';
  if (rh && (FAMILY[distribution] === 'RedHat' || distribution === 'NA')) {
    distribution = distribution === 'NA' ? rh.distribution : distribution;
    version = rh.version;
    release = rh.release;
  }
  if (distribution === 'Debian') {
    // Debian's point release lives in /etc/debian_version ("12.5"); testing says "trixie/sid".
    const dv = files.get('/etc/debian_version')?.trim();
    if (dv && /^\d+(\.\d+)*$/.test(dv)) version = dv;
    if (release === 'NA') release = /\(([^)]+)\)/.exec(osr.PRETTY_NAME ?? '')?.[1] ?? 'NA';
  }
  if (distribution === 'Alpine' && files.has('/etc/alpine-release')) version = files.get('/etc/alpine-release')!.trim();
  const facts: Facts = {
    distribution,
    distribution_version: version,
    distribution_major_version: version === 'NA' ? 'NA' : version.split('.')[0]!,
    distribution_release: release,
    os_family: FAMILY[distribution] ?? distribution,
  };
  const minor = version.split('.')[1];
  if (minor !== undefined) facts.distribution_minor_version = minor;
  if (osr.PRETTY_NAME) facts.distribution_pretty_name = osr.PRETTY_NAME;
  const lsb = parseKeyValues(files.get('/etc/lsb-release'));
  if (lsb.DISTRIB_ID) {
    facts.lsb = {
      id: lsb.DISTRIB_ID,
      release: lsb.DISTRIB_RELEASE ?? 'NA',
      codename: lsb.DISTRIB_CODENAME ?? 'NA',
      description: lsb.DISTRIB_DESCRIPTION ?? '',
      major_release: (lsb.DISTRIB_RELEASE ?? 'NA').split('.')[0],
    };
  }
  return facts;
}

export const osFamily: FactFamily = {
  name: 'os',
  subset: 'min',
  files: FILES,
  script: 'true',
  parse: parseOs,
};
