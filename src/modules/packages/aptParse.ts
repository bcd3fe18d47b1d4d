/** Parsers for what apt and dpkg print: dpkg-query status lines and `apt-get -s` simulations. */
import { fnmatch } from '../../fnmatch.js';

export interface PkgSpec {
  /** As the user wrote it, e.g. `hello=2.10-3`. */
  spec: string;
  name: string;
  /** Exact version or a glob (`2.10*`), when pinned. */
  version?: string;
}

export function parsePkgSpec(spec: string): PkgSpec {
  const i = spec.indexOf('=');
  if (i <= 0) return { spec, name: spec };
  return { spec, name: spec.slice(0, i), version: spec.slice(i + 1) };
}

export interface DpkgStatus {
  name: string;
  version: string;
  /** Desired/status letters from ${db:Status-Abbrev}, e.g. 'ii', 'rc'. */
  abbrev: string;
  /** Unpacked and configured (or only awaiting triggers). */
  installed: boolean;
  /** Only configuration files are left ('rc'): `purge` still has work to do. */
  configOnly: boolean;
}

/** dpkg-query's format; one line per package, so a single call answers for all. */
export const DPKG_QUERY_FORMAT = '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n';

export function parseDpkgQuery(stdout: string): Map<string, DpkgStatus> {
  const out = new Map<string, DpkgStatus>();
  for (const line of stdout.split('\n')) {
    const [name, version = '', abbrev = ''] = line.split('\t');
    if (!name) continue;
    const status = abbrev.charAt(1);
    const st: DpkgStatus = {
      name,
      version,
      abbrev: abbrev.trim(),
      installed: status === 'i' || status === 'W' || status === 't',
      configOnly: status === 'c',
    };
    // Multi-arch packages list once per architecture; keep the installed one.
    const prev = out.get(name);
    if (!prev || (!prev.installed && st.installed)) out.set(name, st);
  }
  return out;
}

/** fnmatch version match, as Ansible's apt allows `name=1.2*`. */
export function versionMatches(installed: string, wanted: string): boolean {
  return fnmatch(installed, wanted);
}

export interface SimAction {
  action: 'install' | 'upgrade' | 'downgrade' | 'reinstall' | 'remove' | 'purge';
  name: string;
  arch?: string;
  from?: string;
  to?: string;
}

/**
 * `apt-get -s` prints one line per dpkg operation:
 *   Inst cpio (2.13+dfsg-7.1 Debian:12.15/oldstable [amd64])
 *   Inst perl [5.36.0-7+deb12u2] (5.36.0-7+deb12u4 Debian-Security:12/oldstable-security [amd64]) []
 *   Remv bash [5.2.15-2+b8]          Purg bash [5.2.15-2+b8]
 * Conf lines repeat the Inst set and are skipped.
 */
export function parseAptSimulation(stdout: string): SimAction[] {
  const out: SimAction[] = [];
  const re = /^(Inst|Remv|Purg) (\S+)(?: \[([^\]]*)\])?(?: \((\S+)[^[)]*(?:\[([^\]]*)\])?\))?/;
  for (const line of stdout.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const [, op, name, from, to, arch] = m;
    if (!name) continue;
    const base = { name, ...(arch ? { arch } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
    if (op === 'Remv') out.push({ action: 'remove', ...base });
    else if (op === 'Purg') out.push({ action: 'purge', ...base });
    else if (!from) out.push({ action: 'install', ...base });
    else if (from === to) out.push({ action: 'reinstall', ...base });
    else out.push({ action: /downgrad/i.test(line) ? 'downgrade' : 'upgrade', ...base });
  }
  return out;
}

/** `apt-get` errors (`E: Unable to locate package nosuchpkg`) for the failure message. */
export function aptErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('E: '))
    .map((l) => l.slice(3));
}

export function describeAction(a: SimAction): string {
  switch (a.action) {
    case 'install':
      return `install ${a.name} ${a.to ?? ''}`.trimEnd();
    case 'upgrade':
    case 'downgrade':
      return `${a.action} ${a.name} ${a.from ?? '?'} -> ${a.to ?? '?'}`;
    case 'reinstall':
      return `reinstall ${a.name} ${a.to ?? ''}`.trimEnd();
    default:
      return `${a.action} ${a.name} ${a.from ?? ''}`.trimEnd();
  }
}

/** Package lists before and after, one `name version` per line, for the diff. */
export function simulationDiff(actions: readonly SimAction[]): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const a of [...actions].sort((x, y) => x.name.localeCompare(y.name))) {
    if (a.from) before.push(`${a.name} ${a.from}`);
    if (a.action !== 'remove' && a.action !== 'purge') after.push(`${a.name} ${a.to ?? ''}`.trimEnd());
  }
  const text = (xs: string[]): string => (xs.length ? xs.join('\n') + '\n' : '');
  return { before: text(before), after: text(after) };
}
