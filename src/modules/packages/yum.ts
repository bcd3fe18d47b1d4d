/**
 * yum and dnf: rpm -q tells what is installed (one batched round trip); the real run is
 * `yum -y install|remove|update`. Check mode cannot resolve dependencies without a
 * solver run, so changes say "dependencies: unknown" rather than guess.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule, type ModuleDefinition, type Plan } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';

const args = {
  name: { type: 'list', elements: 'str', aliases: ['pkg'], default: [] },
  state: { type: 'str', choices: ['present', 'installed', 'latest', 'absent', 'removed'], default: 'present' },
  update_cache: { type: 'bool', default: false, aliases: ['expire-cache'] },
  disable_gpg_check: { type: 'bool', default: false },
  enablerepo: { type: 'list', elements: 'str' },
  disablerepo: { type: 'list', elements: 'str' },
} as const;

export interface YumPlanData {
  install: string[];
  update: string[];
  remove: string[];
  updateCache: boolean;
}

export const RPM_QF = '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';

function defineRpmModule(tool: 'yum' | 'dnf'): ModuleDefinition<typeof args, YumPlanData> {
  const toolCmd = shellRaw(tool);
  return defineModule<typeof args, YumPlanData>({
    name: tool,
    aliases: [`ansible.builtin.${tool}`],
    args,
    check: (a) => (!a.name.length && !a.update_cache ? "'name' is required" : undefined),
    async plan(ctx, a): Promise<Plan<YumPlanData>> {
      const sections: Record<string, ReturnType<typeof sh>> = {};
      a.name.forEach((spec, i) => (sections[`p${i}`] = sh`rpm -q --qf ${RPM_QF} ${spec}`));
      const r = a.name.length ? await probeBatch(ctx, sections) : {};
      const installed = a.name.filter((_s, i) => r[`p${i}`]?.rc === 0);
      const missing = a.name.filter((s) => !installed.includes(s));
      const data: YumPlanData = { install: [], update: [], remove: [], updateCache: a.update_cache };
      const changes: string[] = a.update_cache ? [`${tool} makecache`] : [];
      if (a.state === 'absent' || a.state === 'removed') {
        data.remove = installed;
        changes.push(...installed.map((p) => `remove ${p} (dependent packages: unknown)`));
      } else {
        data.install = missing;
        changes.push(...missing.map((p) => `install ${p} (dependencies: unknown until ${tool} resolves them)`));
        if (a.state === 'latest' && installed.length) {
          // check-update only reads repository metadata; rc 100 means updates exist.
          const cu = await ctx.probe(sh`${toolCmd} -q check-update ${installed}`);
          if (cu.rc === 100) {
            data.update = installed.filter((p) => new RegExp(`^${p.replace(/[.+]/g, '\\$&')}\\.`, 'm').test(cu.stdout));
            if (!data.update.length) data.update = installed;
            changes.push(...data.update.map((p) => `update ${p}`));
          } else if (cu.rc !== 0) return { kind: 'fail', msg: `${tool} check-update failed: ${cu.stderr.trim() || cu.stdout.trim()}` };
        }
      }
      const versions = Object.values(r).map((s) => s.stdout.trim()).filter((s) => s && !/not installed/.test(s));
      const result = { results: versions };
      if (!data.install.length && !data.update.length && !data.remove.length && !data.updateCache) return { kind: 'ok', result };
      return { kind: 'change', changes, msg: changes.join(', '), data, result, installs: data.install };
    },
    async apply(ctx, a, data) {
      const opts = [
        ...(a.disable_gpg_check ? [shellRaw('--nogpgcheck')] : []),
        ...(a.enablerepo ?? []).map((r) => sh`--enablerepo=${r}`),
        ...(a.disablerepo ?? []).map((r) => sh`--disablerepo=${r}`),
      ];
      const o = shellRaw(opts.map((x) => x.text).join(' '));
      let stdout = '';
      const run = async (what: string, verb: string, pkgs: string[]): Promise<void> => {
        if (!pkgs.length) return;
        stdout += (await runChecked(ctx, `${tool} ${what}`, sh`${toolCmd} -y ${o} ${shellRaw(verb)} ${pkgs}`, { timeoutMs: 1_800_000 })).stdout;
      };
      if (data.updateCache) stdout += (await runChecked(ctx, `${tool} makecache`, sh`${toolCmd} -y ${o} makecache`)).stdout;
      await run('install', 'install', data.install);
      await run('update', 'update', data.update);
      await run('remove', 'remove', data.remove);
      return { result: { stdout, results: stdout.split('\n').filter(Boolean) } };
    },
  });
}

export const yum = defineRpmModule('yum');
export const dnf = defineRpmModule('dnf');
