/**
 * apt: Debian packages. plan() asks dpkg-query about every named package in one call,
 * then lets apt-get SIMULATE the change (`apt-get -s`), so check mode reports the exact
 * set of packages, dependencies included, that a real run would touch.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type Plan, type ReadContext } from '../types.js';
import type { ArgsOf } from '../argspec.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';
import {
  DPKG_QUERY_FORMAT,
  aptErrors,
  describeAction,
  parseAptSimulation,
  parseDpkgQuery,
  parsePkgSpec,
  simulationDiff,
  versionMatches,
  type SimAction,
} from './aptParse.js';

const args = {
  name: { type: 'list', elements: 'str', aliases: ['pkg', 'package'], default: [] },
  // Ansible's choices in Ansible's order, so that a value outside them fails in its words;
  // build-dep is accepted and refused when the task runs (check below)
  state: { type: 'str', choices: ['absent', 'build-dep', 'fixed', 'latest', 'present'], default: 'present' },
  update_cache: { type: 'bool', aliases: ['update-cache'], default: false },
  cache_valid_time: { type: 'int', default: 0 },
  install_recommends: { type: 'bool', aliases: ['install-recommends'] },
  purge: { type: 'bool', default: false },
  autoremove: { type: 'bool', default: false },
  deb: { type: 'path' },
  force: { type: 'bool', default: false },
  default_release: { type: 'str', aliases: ['default-release'] },
  dpkg_options: { type: 'str', default: 'force-confdef,force-confold' },
  lock_timeout: { type: 'int', default: 60 },
} as const;

type AptArgs = ArgsOf<typeof args>;

export interface AptPlanData {
  updateCache: boolean;
  /** the cache's time stamp before the update: the update counts only if it moves */
  cacheTime: number;
  verb: 'install' | 'remove' | 'fixed' | 'none';
  targets: string[];
  actions: SimAction[];
}

/** When the package lists were last updated, read where Ansible reads it: apt's success stamp (written by a periodic job where one is set up), else the lists directory. */
const STAMP = '/var/lib/apt/periodic/update-success-stamp';
/** One stat for both paths: it prints a line per path that exists, in order, so the first line is the one Ansible reads. */
const CACHE_TIME = sh`stat -c %Y -- ${STAMP} /var/lib/apt/lists 2>/dev/null`;

/** CACHE_TIME's answer: undefined when neither path exists (Ansible then says 0). */
function cacheMtime(stdout: string): number | undefined {
  const first = stdout.trim().split('\n')[0] ?? '';
  return /^\d+$/.test(first) ? Number(first) : undefined;
}

/** Options common to the simulation and the real run, so both compute the same solution. */
export function aptOptions(a: AptArgs): ShellCommand[] {
  const o: ShellCommand[] = [];
  if (a.install_recommends !== undefined) o.push(sh`-o APT::Install-Recommends=${a.install_recommends ? 'yes' : 'no'}`);
  if (a.default_release) o.push(sh`-t ${a.default_release}`);
  if (a.force) o.push(shellRaw('--allow-unauthenticated --allow-downgrades --allow-remove-essential --allow-change-held-packages'));
  return o;
}

export function verbArgs(a: AptArgs, verb: AptPlanData['verb']): ShellCommand {
  if (verb === 'remove') return shellRaw(`remove${a.purge ? ' --purge' : ''}${a.autoremove ? ' --auto-remove' : ''}`);
  if (verb === 'fixed') return shellRaw('--fix-broken install');
  return shellRaw(a.autoremove ? 'install --auto-remove' : 'install');
}

/** Joins command words, dropping empty ones (so no double spaces when options are absent). */
function words(parts: readonly ShellCommand[]): ShellCommand {
  return shellRaw(parts.map((p) => p.text).filter(Boolean).join(' '));
}

export function simulateCommand(a: AptArgs, verb: AptPlanData['verb'], targets: readonly string[]): ShellCommand {
  // -o Dir::Log::Planner: a simulation otherwise writes /var/log/apt/eipp.log.xz, breaking check mode's promise
  return words([shellRaw('LC_ALL=C apt-get -s -q -o Dir::Log::Planner=/dev/null'), ...aptOptions(a), verbArgs(a, verb), sh`-- ${targets}`]);
}

export function realCommand(a: AptArgs, verb: AptPlanData['verb'], targets: readonly string[]): ShellCommand {
  const dpkg = a.dpkg_options
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((opt) => sh`-o Dpkg::Options::=${'--' + opt}`);
  const head = sh`DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -y -q -o DPkg::Lock::Timeout=${a.lock_timeout}`;
  return words([head, ...dpkg, ...aptOptions(a), verbArgs(a, verb), sh`-- ${targets}`]);
}

interface HostState {
  installed: ReturnType<typeof parseDpkgQuery>;
  /** seconds since the cache's time stamp; read only when update_cache needs it */
  cacheAge: number | undefined;
  /** the cache's time stamp (0 when there is none, as Ansible) */
  cacheTime: number;
  debPackage?: { name: string; version: string };
}

async function readHost(ctx: ReadContext, a: AptArgs): Promise<HostState> {
  const names = a.name.map((s) => parsePkgSpec(s).name);
  const r = await probeBatch(ctx, {
    // dpkg-query exits 1 when some names are unknown; the lines it prints still count.
    dpkg: names.length ? sh`dpkg-query -W -f=${DPKG_QUERY_FORMAT} -- ${names}` : shellRaw('true'),
    stamp: CACHE_TIME,
    // the host's clock, only for the cache's age (cache_valid_time): a date process less otherwise
    now: a.update_cache ? shellRaw('date +%s') : shellRaw('true'),
    deb: a.deb ? sh`dpkg-deb -f ${a.deb} Package Version` : shellRaw('true'),
  });
  const stamp = cacheMtime(r.stamp.stdout);
  const state: HostState = {
    installed: parseDpkgQuery(r.dpkg.stdout),
    cacheAge: stamp !== undefined && a.update_cache ? Number(r.now.stdout.trim()) - stamp : undefined,
    cacheTime: stamp ?? 0,
  };
  if (a.deb) {
    const pkg = r.deb.stdout.match(/^Package: (\S+)/m)?.[1];
    const ver = r.deb.stdout.match(/^Version: (\S+)/m)?.[1];
    if (r.deb.rc !== 0 || !pkg || !ver) throw new Error(`cannot read package file ${a.deb}: ${r.deb.stdout.trim()}`);
    state.debPackage = { name: pkg, version: ver };
    if (!state.installed.has(pkg)) {
      const q = await ctx.probe(sh`dpkg-query -W -f=${DPKG_QUERY_FORMAT} -- ${pkg}`);
      for (const [k, v] of parseDpkgQuery(q.stdout)) state.installed.set(k, v);
    }
  }
  return state;
}

/** Which requested names need work, before asking apt how. */
export function pickTargets(a: AptArgs, host: HostState): { verb: AptPlanData['verb']; targets: string[] } {
  if (a.state === 'fixed') return { verb: 'fixed', targets: [] };
  if (a.deb && host.debPackage) {
    const cur = host.installed.get(host.debPackage.name);
    const done = cur?.installed && cur.version === host.debPackage.version;
    return { verb: done ? 'none' : 'install', targets: done ? [] : [a.deb] };
  }
  const specs = a.name.map(parsePkgSpec);
  if (a.state === 'absent') {
    const targets = specs
      .filter((s) => {
        const cur = host.installed.get(s.name);
        if (!cur) return false;
        if (s.version && cur.installed && !versionMatches(cur.version, s.version)) return false;
        return cur.installed || (a.purge && cur.configOnly);
      })
      .map((s) => s.name);
    return { verb: targets.length ? 'remove' : 'none', targets };
  }
  if (a.state === 'latest') return { verb: specs.length ? 'install' : 'none', targets: specs.map((s) => s.name) };
  const targets = specs
    .filter((s) => {
      const cur = host.installed.get(s.name);
      return !cur?.installed || (s.version !== undefined && !versionMatches(cur.version, s.version));
    })
    .map((s) => s.spec);
  return { verb: targets.length ? 'install' : 'none', targets };
}

/**
 * Which of Ansible's result shapes the task returns (its apt module exits on four paths):
 * an install also reports the cache keys, a removal and a .deb only the command's output,
 * a cache update alone only the cache keys.
 */
type Shape = 'install' | 'remove' | 'deb' | 'update';

function shapeOf(a: AptArgs): Shape {
  if (a.deb) return 'deb';
  if (!a.name.length && a.state !== 'fixed') return 'update';
  return a.state === 'absent' ? 'remove' : 'install';
}

/** Ansible's words for a name its package cache does not know (apt-get says "Unable to locate package X"). */
function missingPackage(a: AptArgs, errors: readonly string[]): string | undefined {
  const unknown = new Set(errors.map((e) => /^Unable to locate package (\S+)/.exec(e)?.[1]).filter((n): n is string => n !== undefined));
  const name = a.name.map((spec) => parsePkgSpec(spec).name).find((n) => unknown.has(n));
  return name === undefined ? undefined : `No package matching '${name}' is available`;
}

export default defineModule({
  name: 'apt',
  aliases: ['ansible.builtin.apt'],
  args,
  check(a) {
    if (a.state === 'build-dep') return "state=build-dep (install a source package's build dependencies) is not implemented by kelpie";
    if (!a.name.length && !a.deb && !a.update_cache && a.state !== 'fixed') return "one of 'name', 'deb', 'update_cache' is required";
    if (a.deb && a.name.length) return "'deb' and 'name' are mutually exclusive";
    return undefined;
  },
  async plan(ctx, a): Promise<Plan<AptPlanData>> {
    const host = await readHost(ctx, a);
    const shape = shapeOf(a);
    const updateCache = a.update_cache && (a.cache_valid_time <= 0 || host.cacheAge === undefined || host.cacheAge > a.cache_valid_time);
    const cacheTime = host.cacheTime;
    const { verb, targets } = pickTargets(a, host);
    const withCacheKeys = shape === 'install' || shape === 'update';
    const cacheKeys = withCacheKeys ? { cache_updated: false, cache_update_time: cacheTime } : {};
    // Ansible reports a cache update in check mode as done; the real run (apply) says whether the lists changed
    const checkCacheKeys = withCacheKeys ? { cache_updated: updateCache, cache_update_time: cacheTime } : {};
    const quiet = shape === 'deb' ? { stdout: '', stderr: '' } : {};
    let actions: SimAction[] = [];
    let output: { stdout: string; stderr: string } | undefined;
    if (verb !== 'none') {
      const sim = await ctx.probe(simulateCommand(a, verb, targets));
      if (sim.rc !== 0) {
        const errs = aptErrors(sim.stdout + '\n' + sim.stderr);
        const missing = missingPackage(a, errs);
        const msg = missing ?? `apt-get simulation failed: ${errs.join('; ') || (sim.stdout + '\n' + sim.stderr).trim().slice(-500)}`;
        // A package only this task's cache update may reveal (a fresh host with empty lists):
        // the real run updates the cache, then installs, and fails there if it is still
        // unknown; a check run cannot tell, and says so.
        if (updateCache && errs.some((e) => /Unable to locate|has no installation candidate/.test(e))) {
          return { kind: 'unknown', reason: `depends on the apt cache update (now: ${msg})`, result: cacheKeys, data: { updateCache, cacheTime, verb, targets, actions: [] } };
        }
        return missing ? { kind: 'fail', msg } : { kind: 'fail', msg, result: cacheKeys };
      }
      actions = parseAptSimulation(sim.stdout);
      // in check mode Ansible's apt runs apt-get --simulate and returns what it printed
      output = { stdout: sim.stdout, stderr: sim.stderr };
    }
    const data: AptPlanData = { updateCache, cacheTime, verb: actions.length ? verb : 'none', targets, actions };
    const update = updateCache ? [host.cacheAge === undefined ? 'update apt cache' : `update apt cache (last update ${host.cacheAge}s ago)`] : [];
    if (!actions.length) {
      if (!updateCache) return { kind: 'ok', result: { ...cacheKeys, ...quiet } };
      // Ansible runs the update and still reports no change when there is nothing else to do,
      // unless the update is all the task asks for
      const inCheck = shape === 'update' ? { kind: 'change' as const, changes: update, result: checkCacheKeys } : { kind: 'ok' as const, result: { ...checkCacheKeys, ...quiet } };
      return { kind: 'change', changes: update, result: { ...cacheKeys, ...quiet }, data, inCheckMode: inCheck };
    }
    const changes = [...update, ...actions.map(describeAction)];
    const { before, after } = simulationDiff(actions);
    const change = {
      kind: 'change' as const,
      changes,
      result: { ...cacheKeys, ...output },
      installs: actions.filter((x) => x.action === 'install').map((x) => x.name),
      diff: [{ path: 'packages', beforeHeader: 'installed packages (before)', afterHeader: 'installed packages (after)', before, after }],
    };
    return { ...change, data, ...(updateCache ? { inCheckMode: { ...change, result: { ...checkCacheKeys, ...output } } } : {}) };
  },
  async apply(ctx, a, data) {
    const shape = shapeOf(a);
    let cacheUpdated = false;
    let cacheTime = data.cacheTime;
    if (data.updateCache) {
      await runChecked(ctx, 'apt-get update', sh`LC_ALL=C apt-get update -q -o DPkg::Lock::Timeout=${a.lock_timeout}`, { timeoutMs: 600_000 });
      // as Ansible: the cache counts as updated when its time stamp moved (apt-get leaves the
      // lists untouched when the repository did not change)
      cacheTime = cacheMtime((await ctx.exec(CACHE_TIME)).stdout) ?? 0;
      cacheUpdated = cacheTime !== data.cacheTime;
    }
    const cacheKeys = shape === 'install' || shape === 'update' ? { cache_updated: cacheUpdated, cache_update_time: cacheTime } : {};
    if (data.verb === 'none') return { changed: shape === 'update' && cacheUpdated, result: { ...cacheKeys, ...(shape === 'deb' ? { stdout: '', stderr: '' } : {}) } };
    const r = await runChecked(ctx, `apt-get ${data.verb}`, realCommand(a, data.verb, data.targets), { timeoutMs: 1_800_000 });
    return { changed: true, result: { ...cacheKeys, stdout: r.stdout, stderr: r.stderr } };
  },
});
