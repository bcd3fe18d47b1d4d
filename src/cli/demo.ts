/**
 * `kelpie demo`: starts four lab hosts (a mail server that is also an IPVS back end, an IPVS
 * front end, a replayed Xen dom0 that is also the SELinux host, and a replayed CentOS 5
 * host), writes an inventory with the groups and addresses playbooks/site.yaml expects, and
 * runs site.yaml three times: --check --diff (nothing on the hosts changes), the real run,
 * and a second run that must change nothing. Tears the lab down unless --keep.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown, labUp } from '../lab/index.js';
import { packageRoot } from '../packageRoot.js';
import { demoGroups, prepareRoles, type DemoRole } from '../lab/demoLayout.js';
import { UsageError } from './parser.js';
import type { Io } from './io.js';
import { playbookCommand } from './playbook.js';
import type { PlaybookFlags } from './options.js';

/** Host i (0-based) gets these roles. */
const ROLES: readonly (readonly DemoRole[])[] = [['mail', 'lb_backend'], ['lb_frontend'], ['xen_dom0', 'selinux'], ['centos']];

interface Stats { ok: number; changed: number; failed: number; unreachable: number; skipped: number }

function summary(jsonFile: string): { changed: number; failed: number; line: string } {
  try {
    const r = JSON.parse(readFileSync(jsonFile, 'utf8')) as { stats: Record<string, Stats> };
    const s = Object.values(r.stats);
    const sum = (k: keyof Stats) => s.reduce((n, x) => n + x[k], 0);
    return { changed: sum('changed'), failed: sum('failed') + sum('unreachable'), line: `hosts=${s.length} ok=${sum('ok')} changed=${sum('changed')} failed=${sum('failed')} unreachable=${sum('unreachable')} skipped=${sum('skipped')}` };
  } catch {
    return { changed: -1, failed: -1, line: 'no report' };
  }
}

export async function demoCommand(flags: { playbook?: string; keep?: boolean }, io: Io): Promise<number> {
  const root = packageRoot();
  if (!flags.playbook && !existsSync(join(root, 'playbooks/site.yaml'))) throw new UsageError(`cannot find playbooks/site.yaml in ${root}`);
  const playbook = resolve(io.cwd, flags.playbook ?? join(root, 'playbooks/site.yaml'));
  const started = Date.now();
  io.err(`starting ${ROLES.length} lab hosts (the first run builds the image: about a minute)...\n`);
  const lab = await labUp(ROLES.length, { name: 'demo', log: (s) => io.err(s + '\n') });
  const summaries: string[] = [];
  let code = 0;
  try {
    const assign = lab.hosts.map((host, i) => ({ host, roles: ROLES[i] ?? [] }));
    for (const a of assign) await prepareRoles(a.host, a.roles);
    const groups = join(lab.stateDir, 'demo-groups.yaml');
    writeFileSync(groups, demoGroups(assign));
    for (const a of assign) io.out(`  ${a.host.name} ${a.host.address}: ${a.roles.join(', ')}\n`);
    io.out(`inventory: ${lab.inventoryFile} + ${groups}\n`);
    const base: PlaybookFlags = { inventory: [lab.inventoryFile, groups], extraVars: [`exec_stack_report_dir=${join(lab.stateDir, 'exec-stack')}`] };
    const runs: [string, PlaybookFlags, (c: number) => boolean][] = [
      ['check mode with diffs: nothing on the hosts changes', { check: true, diff: true }, () => true],
      ['the real run', {}, () => true],
      ['the second run: expect changed=0', {}, (c) => c === 0],
    ];
    for (const [i, [title, runFlags, expect]] of runs.entries()) {
      io.out(`\n===== kelpie demo, run ${i + 1}/3: ${title} =====\n`);
      const json = join(lab.stateDir, `demo-run${i + 1}.json`);
      const t0 = Date.now();
      code = await playbookCommand([playbook], { ...base, json, ...runFlags }, io);
      const s = summary(json);
      const verdict = code === 0 && expect(s.changed) ? 'as expected' : 'NOT as expected';
      const line = `run ${i + 1} (${title.split(':')[0]}): ${s.line}, exit ${code}, ${((Date.now() - t0) / 1000).toFixed(1)} s: ${verdict}`;
      summaries.push(line);
      io.out(`===== ${line} =====\n`);
      if (code !== 0) break;
      if (verdict !== 'as expected') code = 1;
    }
  } finally {
    if (!flags.keep) await labDown('demo');
    else io.err(`lab 'demo' left running: kelpie lab down --name demo\n`);
  }
  io.out(`\n===== kelpie demo summary (${((Date.now() - started) / 1000).toFixed(0)} s) =====\n${summaries.join('\n')}\n`);
  return code;
}
