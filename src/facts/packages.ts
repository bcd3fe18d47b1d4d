/**
 * The `packages` fact, like Ansible's package_facts: name → list of installed versions,
 * from dpkg-query (apt) and/or rpm. One round trip; gathered only when asked.
 */
import type { ExecResult } from '../connection/types.js';
import { shellRaw, type ShellCommand } from '../shell/quote.js';
import { splitSection } from './section.js';

export interface PkgInfo {
  name: string;
  version: string;
  release?: string;
  epoch?: number | null;
  arch: string;
  source: 'apt' | 'rpm';
}

export type PackageManager = 'auto' | 'apt' | 'rpm';

const APT = "if command -v dpkg-query >/dev/null 2>&1; then echo ::apt::; dpkg-query -W -f='${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n' 2>/dev/null; fi";
const RPM = "if command -v rpm >/dev/null 2>&1; then echo ::rpm::; rpm -qa --qf '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n' 2>/dev/null; fi";

export function packagesScript(manager: PackageManager = 'auto'): ShellCommand {
  const parts = manager === 'apt' ? [APT] : manager === 'rpm' ? [RPM] : [APT, RPM];
  return shellRaw([...parts, 'true'].join('\n'));
}

function add(out: Record<string, PkgInfo[]>, p: PkgInfo): void {
  (out[p.name] ??= []).push(p);
}

/** dpkg-query lines; only installed packages (status letter 2 = 'i'). */
export function parseDpkg(text: string, out: Record<string, PkgInfo[]> = {}): Record<string, PkgInfo[]> {
  for (const line of text.split('\n')) {
    const [name, version, arch, status] = line.split('\t');
    if (!name || !version || status?.[1] !== 'i') continue;
    add(out, { name, version, arch: arch ?? '', source: 'apt' });
  }
  return out;
}

/** rpm lines: name, epoch ("(none)" when none), version, release, arch. */
export function parseRpm(text: string, out: Record<string, PkgInfo[]> = {}): Record<string, PkgInfo[]> {
  for (const line of text.split('\n')) {
    const [name, epoch, version, release, arch] = line.split('\t');
    if (!name || !version || name === 'gpg-pubkey') continue;
    const e = epoch && /^\d+$/.test(epoch) && epoch !== '0' ? Number(epoch) : null;
    add(out, { name, version, release: release ?? '', epoch: e, arch: arch ?? '', source: 'rpm' });
  }
  return out;
}

export function parsePackages(text: string): Record<string, PkgInfo[]> {
  const { subs } = splitSection(text);
  const out: Record<string, PkgInfo[]> = {};
  if (subs.has('apt')) parseDpkg(subs.get('apt')!, out);
  if (subs.has('rpm')) parseRpm(subs.get('rpm')!, out);
  return out;
}

export async function gatherPackages(
  run: (cmd: ShellCommand) => Promise<ExecResult>,
  manager: PackageManager = 'auto',
): Promise<Record<string, PkgInfo[]>> {
  const res = await run(packagesScript(manager));
  return parsePackages(res.stdout);
}
