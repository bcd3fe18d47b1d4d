/**
 * Fact gathering: every selected family's constant script joined into ONE shell script,
 * sent in ONE round trip; the output is cut at family markers and each family's pure
 * parser turns its section into facts (keys without the `ansible_` prefix).
 */
import type { ExecResult } from '../connection/types.js';
import { shellRaw, type ShellCommand } from '../shell/quote.js';
import { dateTimeFamily } from './datetime.js';
import { hardwareFamily } from './hardware.js';
import { networkFamily } from './network.js';
import { osFamily } from './os.js';
import { platformFamily } from './platform.js';
import { FAMILY_MARK, familyScript, familySection, splitFamilies, type FactFamily, type Facts } from './section.js';
import { selinuxFamily } from './selinux.js';
import { servicesFamily } from './services.js';
import { virtualizationFamily } from './virtualization.js';
import { xenFamily } from './xen.js';

export type RunCommand = (cmd: ShellCommand) => Promise<ExecResult>;

export const FAMILIES: readonly FactFamily[] = [
  osFamily, platformFamily, dateTimeFamily, servicesFamily, selinuxFamily,
  hardwareFamily, networkFamily, virtualizationFamily, xenFamily,
];

const SUBSETS = ['all', 'min', 'hardware', 'network', 'virtual'] as const;
// Ansible subset names kelpie accepts and folds into the nearest family group.
const ALIASES: Record<string, string> = {
  devices: 'hardware', mounts: 'hardware', virtualization: 'virtual', interfaces: 'network',
  facter: '', ohai: '', distribution: 'min', platform: 'min', date_time: 'min', env: 'min', user: 'min',
  selinux: 'min', service_mgr: 'min', pkg_mgr: 'min', lsb: 'min', dns: 'min', apparmor: 'min', local: 'min',
};

/**
 * Ansible's gather_subset rules: 'all' by default; `!x` removes; 'min' families are
 * always gathered unless '!min' (or '!all' + no 'min') is given.
 */
export function selectFamilies(subset: readonly string[] = ['all']): FactFamily[] {
  const want = new Set<string>();
  const exclude = new Set<string>();
  for (const raw of subset.length ? subset : ['all']) {
    const neg = raw.startsWith('!');
    let name = (neg ? raw.slice(1) : raw).trim();
    name = ALIASES[name] ?? name;
    if (name === '') continue;
    if (!(SUBSETS as readonly string[]).includes(name)) throw new Error(`bad gather_subset '${raw}': expected one of ${SUBSETS.join(', ')}`);
    (neg ? exclude : want).add(name);
  }
  const groups = new Set<string>();
  if (want.has('all')) ['hardware', 'network', 'virtual'].forEach((g) => groups.add(g));
  for (const w of want) if (w !== 'all') groups.add(w);
  if (!exclude.has('min')) groups.add('min');
  if (exclude.has('all')) for (const g of ['hardware', 'network', 'virtual']) if (!want.has(g)) groups.delete(g);
  for (const e of exclude) if (e !== 'all' && e !== 'min') groups.delete(e);
  return FAMILIES.filter((f) => groups.has(f.subset));
}

/** Pseudo-family carrying every family's files, read by ONE `grep -H`. */
const FILES_SECTION = '@files';

export function factsScript(families: readonly FactFamily[]): ShellCommand {
  const files = [...new Set(families.flatMap((f) => f.files ?? []))];
  const head = files.length ? [`echo '${FAMILY_MARK} ${FILES_SECTION}'`, `grep -H '' ${files.join(' ')} 2>/dev/null`] : [];
  return shellRaw([...head, ...families.map((f) => familyScript(f))].join('\n'));
}

export function parseFacts(stdout: string, families: readonly FactFamily[]): Facts {
  const sections = splitFamilies(stdout);
  const fileLines = (sections.get(FILES_SECTION) ?? '').split('\n');
  const facts: Facts = {};
  for (const f of families) {
    const text = sections.get(f.name);
    if (text !== undefined) Object.assign(facts, f.parse(familySection(f, fileLines, text)));
  }
  return facts;
}

/** Gathers the base facts of one host in one call of `run`. */
export async function gatherFacts(run: RunCommand, opts: { subset?: string[] } = {}): Promise<Record<string, unknown>> {
  const families = selectFamilies(opts.subset);
  const res = await run(factsScript(families));
  const facts = parseFacts(res.stdout, families);
  facts.gather_subset = opts.subset ?? ['all'];
  return facts;
}

export { gatherPackages, type PkgInfo, type PackageManager } from './packages.js';
export { gatherXen, type XenDomain } from './xen.js';
export { FactCache } from './cache.js';
export type { Facts, FactFamily } from './section.js';
