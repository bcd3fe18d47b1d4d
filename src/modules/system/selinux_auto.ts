/**
 * selinux_auto: load the policy modules the installed applications need (the table in
 * selinuxModuleMap.ts), enable those that are loaded but disabled, and with remove_unused
 * drop mapped modules whose application is gone, unless a module that stays still uses
 * them (selinuxDeps.ts: removing it would fail the policy build). Never removes core
 * modules (base, unconfined, roles...) nor anything in `keep`; modules no mapped package
 * brings are left alone. One semodule transaction per change.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { runChecked } from '../_lib/runChecked.js';
import { packagesScript } from '../../facts/packages.js';
import { parsePackages } from '../../facts/packages.js';
import { CORE_MODULES, PACKAGE_MODULES, mappedModules, modulesForPackages } from './selinuxModuleMap.js';
import { defaultPolicyDir, readStore } from './selinuxStore.js';
import { MODULE_DEPENDENCIES, parseDependencies, removableModules } from './selinuxDeps.js';

interface Data {
  commands: ShellCommand[];
}

const args = {
  remove_unused: { type: 'bool', default: false },
  keep: { type: 'list', elements: 'str', default: [] },
  policy_dir: { type: 'path' },
  extra_map: { type: 'dict', description: 'package: [modules] entries added to the built-in table' },
} as const;

function installedNames(facts: Record<string, unknown>): Set<string> | undefined {
  const p = facts.packages ?? facts.ansible_packages;
  return p && typeof p === 'object' ? new Set(Object.keys(p)) : undefined;
}

export default defineModule({
  name: 'selinux_auto',
  args,
  async plan(ctx, a) {
    const { family } = await hostFlavor(ctx);
    const dir = a.policy_dir ?? defaultPolicyDir(family);
    const map: Record<string, readonly string[]> = { ...PACKAGE_MODULES };
    for (const [k, v] of Object.entries(a.extra_map ?? {})) map[k] = Array.isArray(v) ? v.map(String) : [String(v)];
    // The packages fact when the play gathered it, else one dpkg-query/rpm probe.
    let facts: Record<string, unknown> = {};
    try {
      facts = await ctx.facts();
    } catch {
      facts = {};
    }
    const { store, extra } = await readStore(ctx, {
      pkgs: packagesScript('auto'),
      files: sh`ls -1 ${dir}`,
    });
    if (!store.ok) return { kind: 'fail', msg: store.msg };
    const pkgs = installedNames(facts) ?? new Set(Object.keys(parsePackages(extra.pkgs?.stdout ?? '')));
    const available = new Map<string, string>();
    for (const f of (extra.files?.stdout ?? '').split('\n')) {
      const m = /^(.+?)\.pp(\.bz2)?$/.exec(f.trim());
      if (m && !available.has(m[1]!)) available.set(m[1]!, `${dir}/${f.trim()}`);
    }
    const wanted = modulesForPackages(pkgs, map);
    const missingFile = wanted.filter((m) => !store.modules.has(m) && !available.has(m));
    if (missingFile.length) ctx.log.warn(`selinux_auto: no policy package in ${dir} for ${missingFile.join(', ')}`);
    const added = wanted.filter((m) => !store.modules.has(m) && available.has(m));
    // loaded but disabled is not loaded: the application runs without its policy
    const enabled = wanted.filter((m) => store.modules.get(m)?.enabled === false);
    const keep = new Set([...a.keep, ...wanted]);
    const removable = mappedModules(map);
    const candidates = a.remove_unused
      ? [...store.modules.keys()].filter((m) => removable.has(m) && !keep.has(m) && !CORE_MODULES.has(m)).sort()
      : [];
    let removed: string[] = [];
    const keptFor = new Map<string, string[]>();
    if (candidates.length) {
      // Extracting and reading every module's CIL takes seconds: only when something could go.
      const deps = await ctx.probe(MODULE_DEPENDENCIES, { timeoutMs: 600_000 });
      if (deps.rc !== 0) {
        ctx.log.warn(`selinux_auto: cannot read the modules' dependencies (${deps.stdout.trim() || deps.stderr.trim() || `rc ${deps.rc}`}): removing nothing`);
      } else {
        const loaded = new Set([...store.modules.values()].filter((m) => m.enabled).map((m) => m.name));
        const r = removableModules(candidates, loaded, parseDependencies(deps.stdout));
        removed = r.removed;
        for (const [m, users] of r.keptFor) keptFor.set(m, users);
      }
    }
    const kept = [...keptFor].map(([m, users]) => `${m} (used by ${users.join(', ')})`);
    if (kept.length) ctx.log.warn(`selinux_auto: keeping ${kept.join('; ')}: removing a module that a loaded module uses fails the policy build`);
    const result = { added, enabled, removed, wanted, kept_for_dependencies: Object.fromEntries(keptFor) };
    if (!added.length && !removed.length && !enabled.length) return { kind: 'ok', msg: `policy modules match the installed applications (${wanted.length} wanted, all loaded and enabled)`, result };
    // One semodule call is one policy rebuild (~15 s on a busy host): every install and
    // removal goes into a single transaction, removals grouped by priority (-X applies to
    // the operations after it).
    const words: string[] = [...added.flatMap((m) => ['-i', available.get(m)!]), ...enabled.flatMap((m) => ['-e', m])];
    const byPrio = new Map<number, string[]>();
    for (const m of removed) {
      const prios = store.modules.get(m)?.priorities ?? [];
      for (const p of prios.length ? prios : [0]) byPrio.set(p, [...(byPrio.get(p) ?? []), m]);
    }
    for (const [p, ms] of [...byPrio].sort((x, y) => x[0] - y[0])) words.push(...(p ? ['-X', String(p)] : []), ...ms.flatMap((m) => ['-r', m]));
    const commands: ShellCommand[] = [sh`semodule ${words}`];
    const lines = (xs: string[]): string => xs.map((x) => x + '\n').join('');
    const state = (m: string, on: boolean): string => (on ? m : `${m} (disabled)`);
    const shown = [...store.modules.keys()].filter((m) => removable.has(m) || added.includes(m)).sort();
    const before = shown.map((m) => state(m, store.modules.get(m)?.enabled !== false));
    const after = [...new Set([...shown.filter((m) => !removed.includes(m)), ...added])].sort().map((m) => state(m, added.includes(m) || enabled.includes(m) || store.modules.get(m)?.enabled !== false));
    return {
      kind: 'change',
      msg: [added.length ? `load ${added.join(', ')}` : '', enabled.length ? `enable ${enabled.join(', ')}` : '', removed.length ? `remove ${removed.join(', ')}` : '', kept.length ? `keep ${kept.join('; ')}` : ''].filter(Boolean).join('; '),
      changes: [...added.map((m) => `load ${m}`), ...enabled.map((m) => `enable ${m}`), ...removed.map((m) => `remove ${m}`)],
      diff: [{ path: 'selinux policy modules', beforeHeader: 'application modules (before)', afterHeader: 'application modules (after)', before: lines(before), after: lines(after) }],
      result,
      data: { commands },
    };
  },
  async apply(ctx, _a, data: Data, plan) {
    for (const c of data.commands) await runChecked(ctx, c.text, c, { timeoutMs: 900_000 });
    return { changed: true, result: plan.kind === 'change' ? plan.result ?? {} : {} };
  },
});
