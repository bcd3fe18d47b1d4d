/**
 * service_mgr (systemd / upstart / openrc / sysvinit) and pkg_mgr (apt, dnf, yum...).
 * Everything here is shell builtins (`[`, `command -v`) plus one read of /proc/1/comm.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

const SCRIPT = [
  'echo ::probes::',
  '[ -d /run/systemd/system ] && echo run_systemd_system',
  '[ -d /dev/.run/systemd ] && echo dev_run_systemd',
  '[ -d /dev/.systemd ] && echo dev_systemd',
  '[ -x /sbin/initctl ] && [ -d /etc/init ] && echo upstart',
  '{ [ -x /sbin/openrc ] || [ -x /sbin/openrc-run ]; } && echo openrc',
  '[ -f /etc/debian_version ] && echo debian_like',
  '{ [ -f /etc/redhat-release ] || [ -f /etc/fedora-release ]; } && echo redhat_like',
  'echo ::pkgmgrs::',
  'for p in apt-get dnf5 dnf yum zypper apk pacman emerge; do command -v "$p" >/dev/null 2>&1 && echo "$p"; done',
  'true',
].join('\n');

const PKG_NAME: Record<string, string> = {
  'apt-get': 'apt', dnf5: 'dnf5', dnf: 'dnf', yum: 'yum', zypper: 'zypper', apk: 'apk', pacman: 'pacman', emerge: 'portage',
};

export function parseServices(text: string): Facts {
  const { files, subs } = splitSection(text);
  const probes = new Set((subs.get('probes') ?? '').split('\n').map((s) => s.trim()).filter(Boolean));
  const comm = files.get('/proc/1/comm')?.trim();
  let serviceMgr = 'sysvinit';
  if (comm === 'systemd' || probes.has('run_systemd_system') || probes.has('dev_run_systemd') || probes.has('dev_systemd')) serviceMgr = 'systemd';
  else if (probes.has('upstart')) serviceMgr = 'upstart';
  else if (probes.has('openrc') || comm === 'openrc-init') serviceMgr = 'openrc';
  const found = (subs.get('pkgmgrs') ?? '').split('\n').map((s) => s.trim()).filter((s) => s in PKG_NAME);
  // A Debian host with yum installed (it happens) still manages packages with apt.
  const preferred = probes.has('debian_like') ? ['apt-get'] : probes.has('redhat_like') ? ['dnf5', 'dnf', 'yum'] : [];
  const pick = preferred.find((p) => found.includes(p)) ?? found[0];
  return { service_mgr: serviceMgr, pkg_mgr: pick ? PKG_NAME[pick]! : 'unknown' };
}

export const servicesFamily: FactFamily = { name: 'services', subset: 'min', files: ['/proc/1/comm'], script: SCRIPT, parse: parseServices };
