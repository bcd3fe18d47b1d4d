/**
 * xen_vcpus: how many VCPUs a Xen domain gets, live (`xl vcpu-set`, or `xm vcpu-set` on
 * the old toolstack) and in its config file (`vcpus = N`, and `maxvcpus` when the domain
 * needs more slots than it has). Capped by `max` (default 2): the seed's rule that no
 * domain gets more than two VCPUs, so one domain running wild cannot take the others' CPU.
 *
 * A running domain cannot go above the VCPU slots it was started with (real xl refuses:
 * "Requested 2 VCPUs, however maxcpus is 1!"). plan() reads those slots with `vcpu-list`,
 * so check mode predicts exactly what the real run does: live up to the ceiling, the rest
 * in the config, and `reboot_required` (with the commands) instead of a failure.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { planTextEdit, applyTextEdit, type TextEditData } from '../_lib/textedit.js';
import { probePath } from '../_lib/probe.js';
import { parseXenList } from '../../facts/xen.js';
import { parseVcpuSlots, wantedConfig } from './xenConfig.js';

export { setConfigVcpus } from './xenConfig.js';

interface Data {
  commands: ShellCommand[];
  edit?: TextEditData;
}

const args = {
  domain: { type: 'str', required: true, aliases: ['name'] },
  vcpus: { type: 'int', required: true },
  max: { type: 'int', default: 2 },
  config: { type: 'path', description: 'default /etc/xen/DOMAIN.cfg' },
  live: { type: 'bool', default: true },
} as const;

/** Which tool exists, then its `list DOMAIN` and `vcpu-list DOMAIN` (stderr folded in, for the "does not exist" text). */
const TOOL = sh`if command -v xl >/dev/null 2>&1; then t=xl; elif command -v xm >/dev/null 2>&1; then t=xm; else echo "no-xen-tool"; exit 127; fi; echo "tool=$t"`;
const LIST = (domain: string): ShellCommand => sh`${TOOL} && "$t" list ${domain}`;
const SLOTS = (domain: string): ShellCommand => sh`${TOOL} >/dev/null && "$t" vcpu-list ${domain}`;

export default defineModule({
  name: 'xen_vcpus',
  args,
  check(a) {
    if (a.vcpus < 1) return 'vcpus must be at least 1';
    if (a.vcpus > a.max) {
      return `refusing ${a.vcpus} VCPUs for domain '${a.domain}': the cap is max=${a.max}. More VCPUs let one busy domain take CPU time from the others; raise max if this domain really needs them.`;
    }
    if (!/^[\w.-]+$/.test(a.domain)) return `'${a.domain}' is not a Xen domain name`;
    return undefined;
  },
  async plan(ctx, a) {
    const config = a.config ?? `/etc/xen/${a.domain}.cfg`;
    const p = await probeBatch(ctx, { list: { cmd: LIST(a.domain), mergeStderr: true }, slots: { cmd: SLOTS(a.domain), mergeStderr: true } });
    const out = p.list.stdout;
    if (p.list.rc === 127 && /no-xen-tool/.test(out)) {
      if (a.live) return { kind: 'fail', msg: 'neither xl nor xm is installed: is this a Xen dom0? (set live: false to only edit the config)' };
    }
    const tool = /^tool=(xl|xm)$/m.exec(out)?.[1] ?? 'xl';
    const dom = a.live ? parseXenList(out).find((d) => d.name === a.domain) : undefined;
    if (a.live && !dom) ctx.log.warn(`xen_vcpus: domain '${a.domain}' is not running; only its config is set`);
    const ceiling = dom ? parseVcpuSlots(p.slots.stdout).get(a.domain) : undefined;
    if (dom && ceiling === undefined) return { kind: 'fail', msg: `cannot read the VCPU slots of ${a.domain} (${tool} vcpu-list): ${p.slots.stdout.trim().split('\n').slice(-1)[0] ?? ''}` };
    // Live: as close to the wanted number as the running domain's slots allow.
    const liveTarget = dom && ceiling !== undefined ? Math.min(a.vcpus, ceiling) : undefined;
    const rebootRequired = ceiling !== undefined && ceiling < a.vcpus;
    const reboot = `${tool} shutdown -w ${a.domain} && ${tool} create ${config}`;
    const commands: ShellCommand[] = [];
    const diff: FileDiff[] = [];
    const changes: string[] = [];
    if (dom && liveTarget !== undefined && dom.vcpus !== liveTarget) {
      commands.push(sh`${tool} vcpu-set ${a.domain} ${String(liveTarget)}`);
      changes.push(`${a.domain}: ${dom.vcpus} → ${liveTarget} VCPUs (live)`);
      diff.push({ path: `${tool} list ${a.domain}`, beforeHeader: `${a.domain} (before)`, afterHeader: `${a.domain} (after)`, before: `vcpus: ${dom.vcpus}\n`, after: `vcpus: ${liveTarget}\n` });
    }
    const info = await probePath(ctx, config, { follow: true, content: true });
    if (!info) return { kind: 'fail', msg: `domain config ${config} does not exist (set config: to its path)` };
    const before = info.content ?? Buffer.alloc(0);
    const after = Buffer.from(wantedConfig(before.toString('utf8'), a.vcpus, ceiling));
    const edit = planTextEdit(ctx, { path: config }, info, { after, msg: `vcpus = ${a.vcpus} in ${config}`, backupKey: 'backup_file' });
    if (edit.kind === 'change') {
      changes.push(...(edit.changes ?? []));
      diff.push(...(edit.diff ?? []));
    }
    const why = rebootRequired
      ? `${a.domain} needs a reboot for ${a.vcpus} VCPUs: it was started with ${ceiling} VCPU slot(s) (maxvcpus), and a running domain cannot go above them; ${config} has them for the next start (${reboot})`
      : undefined;
    if (why) ctx.log.warn(`xen_vcpus: ${why}`);
    const result = {
      domain: a.domain, vcpus: a.vcpus, running: dom !== undefined, previous_vcpus: dom?.vcpus ?? null,
      live_vcpus: liveTarget ?? dom?.vcpus ?? null, max_vcpus_live: ceiling ?? null, reboot_required: rebootRequired,
      ...(rebootRequired ? { reboot_command: reboot } : {}),
    };
    if (!changes.length) return { kind: 'ok', msg: why ?? `${a.domain} has ${a.vcpus} VCPUs`, result };
    const data: Data = { commands, ...(edit.kind === 'change' && edit.data ? { edit: edit.data } : {}) };
    return { kind: 'change', msg: [...changes, ...(why ? [why] : [])].join('; '), changes, diff, result, data };
  },
  async apply(ctx, _a, data: Data) {
    // The config first: it is what the next start reads, whatever happens to the live change.
    if (data.edit) {
      const r = await applyTextEdit(ctx, data.edit);
      if (r.failed) return r;
    }
    for (const c of data.commands) await runChecked(ctx, c.text, c);
    return { changed: true };
  },
});
