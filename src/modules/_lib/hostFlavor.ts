/**
 * Which package manager, service manager and OS family a host has. Facts win (the same
 * names Ansible uses: pkg_mgr, service_mgr, os_family, with or without the ansible_
 * prefix); when facts do not say, one probe decides the way Ansible's fact code does.
 */
import { shellRaw } from '../../shell/quote.js';
import type { ReadContext } from '../types.js';

export type PkgMgr = 'apt' | 'yum' | 'dnf' | 'unknown';
export type ServiceMgr = 'systemd' | 'sysvinit' | 'unknown';
export type OsFamily = 'Debian' | 'RedHat' | 'unknown';

export interface HostFlavor {
  pkgMgr: PkgMgr;
  serviceMgr: ServiceMgr;
  family: OsFamily;
}

/** A string fact by its name, whether the facts carry the ansible_ prefix or nest under ansible_facts. */
export function fact(f: Record<string, unknown>, name: string): string | undefined {
  const v = f[name] ?? f[`ansible_${name}`] ?? (f['ansible_facts'] as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

function normFamily(s: string | undefined): OsFamily | undefined {
  if (!s) return undefined;
  if (/^debian|ubuntu$/i.test(s)) return 'Debian';
  if (/^(redhat|centos|rocky|almalinux|fedora)$/i.test(s)) return 'RedHat';
  return undefined;
}

/** The probe's shell text (one round trip); exported for fixture tests. */
export const FLAVOR_PROBE = shellRaw(
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo svc=systemd; else echo svc=sysvinit; fi; ' +
    'if [ -f /etc/redhat-release ]; then echo fam=RedHat; elif [ -f /etc/debian_version ]; then echo fam=Debian; else echo fam=unknown; fi; ' +
    'for m in dnf yum apt-get; do if command -v $m >/dev/null 2>&1; then echo pkg=$m; break; fi; done',
);

export function parseFlavorProbe(stdout: string): HostFlavor {
  const get = (k: string): string | undefined => stdout.match(new RegExp(`^${k}=(\\S+)`, 'm'))?.[1];
  const pkg = get('pkg');
  const family = (get('fam') as OsFamily | undefined) ?? 'unknown';
  // Debian hosts may carry a yum binary (e.g. for building chroots): family decides first.
  const pkgMgr: PkgMgr =
    family === 'Debian' ? 'apt' : pkg === 'apt-get' ? 'apt' : pkg === 'yum' || pkg === 'dnf' ? pkg : 'unknown';
  return { serviceMgr: (get('svc') as ServiceMgr | undefined) ?? 'unknown', family, pkgMgr };
}

export async function hostFlavor(ctx: ReadContext): Promise<HostFlavor> {
  let facts: Record<string, unknown> = {};
  try {
    facts = await ctx.facts();
  } catch {
    facts = {}; // gather_facts may be off or unavailable: probing below decides
  }
  const pkg = fact(facts, 'pkg_mgr');
  const svc = fact(facts, 'service_mgr');
  const fam = normFamily(fact(facts, 'os_family'));
  if (pkg && svc && fam) {
    return {
      pkgMgr: pkg === 'apt' || pkg === 'yum' || pkg === 'dnf' ? pkg : 'unknown',
      serviceMgr: svc === 'systemd' ? 'systemd' : svc === 'sysvinit' || svc === 'service' ? 'sysvinit' : 'unknown',
      family: fam,
    };
  }
  const probed = parseFlavorProbe((await ctx.probe(FLAVOR_PROBE)).stdout);
  return {
    pkgMgr: pkg === 'apt' || pkg === 'yum' || pkg === 'dnf' ? pkg : probed.pkgMgr,
    serviceMgr: svc === 'systemd' ? 'systemd' : svc === 'sysvinit' ? 'sysvinit' : probed.serviceMgr,
    family: fam ?? probed.family,
  };
}
