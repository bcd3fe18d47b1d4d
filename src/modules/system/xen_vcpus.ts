/**
 * xen_vcpus: how many VCPUs a Xen domain gets, live (`xl vcpu-set`, or `xm vcpu-set` on
 * the old toolstack) and in its config file (`vcpus = N`). Capped by `max` (default 2):
 * the seed's rule that no domain gets more than two VCPUs, so one domain running wild
 * cannot take the others' CPU.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { planTextEdit, applyTextEdit, type TextEditData } from '../_lib/textedit.js';
import { probePath } from '../_lib/probe.js';
import { parseXenList } from '../../facts/xen.js';

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

/** Sets `vcpus = N` in a xl/xm domain config: replaces the line (keeping its spacing style) or appends one. */
export function setConfigVcpus(text: string, n: number): string {
  const re = /^([ \t]*vcpus[ \t]*=[ \t]*)([^#\n]*?)([ \t]*(#.*)?)$/m;
  if (re.test(text)) return text.replace(re, (_m, head: string, _v: string, tail: string) => `${head}${n}${tail}`);
  return (text === '' || text.endsWith('\n') ? text : text + '\n') + `vcpus = ${n}\n`;
}

/** Which tool exists, then its `list DOMAIN` (stderr folded in, for the "does not exist" text). */
const LIST = (domain: string): ShellCommand =>
  sh`if command -v xl >/dev/null 2>&1; then t=xl; elif command -v xm >/dev/null 2>&1; then t=xm; else echo "no-xen-tool"; exit 127; fi; echo "tool=$t"; "$t" list ${domain}`;

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
    const p = await probeBatch(ctx, { list: { cmd: LIST(a.domain), mergeStderr: true } });
    const out = p.list.stdout;
    if (p.list.rc === 127 && /no-xen-tool/.test(out)) {
      if (a.live) return { kind: 'fail', msg: 'neither xl nor xm is installed: is this a Xen dom0? (set live: false to only edit the config)' };
    }
    const tool = /^tool=(xl|xm)$/m.exec(out)?.[1] ?? 'xl';
    const dom = parseXenList(out).find((d) => d.name === a.domain);
    const commands: ShellCommand[] = [];
    const diff: FileDiff[] = [];
    const changes: string[] = [];
    if (a.live && dom && dom.vcpus !== a.vcpus) {
      commands.push(sh`${tool} vcpu-set ${a.domain} ${String(a.vcpus)}`);
      changes.push(`${a.domain}: ${dom.vcpus} → ${a.vcpus} VCPUs (live)`);
      diff.push({ path: `${tool} list ${a.domain}`, beforeHeader: `${a.domain} (before)`, afterHeader: `${a.domain} (after)`, before: `vcpus: ${dom.vcpus}\n`, after: `vcpus: ${a.vcpus}\n` });
    }
    if (a.live && !dom) ctx.log.warn(`xen_vcpus: domain '${a.domain}' is not running; only its config is set`);
    const info = await probePath(ctx, config, { follow: true, content: true });
    if (!info) return { kind: 'fail', msg: `domain config ${config} does not exist (set config: to its path)` };
    const before = info.content ?? Buffer.alloc(0);
    const after = Buffer.from(setConfigVcpus(before.toString('utf8'), a.vcpus));
    const edit = planTextEdit(ctx, { path: config }, info, { after, msg: `vcpus = ${a.vcpus} in ${config}`, backupKey: 'backup_file' });
    const result = { domain: a.domain, vcpus: a.vcpus, running: dom !== undefined, previous_vcpus: dom?.vcpus ?? null };
    if (edit.kind === 'change') {
      changes.push(...(edit.changes ?? []));
      diff.push(...(edit.diff ?? []));
    }
    if (!changes.length) return { kind: 'ok', msg: `${a.domain} has ${a.vcpus} VCPUs`, result };
    const data: Data = { commands, ...(edit.kind === 'change' && edit.data ? { edit: edit.data } : {}) };
    return { kind: 'change', msg: changes.join('; '), changes, diff, result, data };
  },
  async apply(ctx, _a, data: Data) {
    for (const c of data.commands) await runChecked(ctx, c.text, c);
    if (data.edit) {
      const r = await applyTextEdit(ctx, data.edit);
      if (r.failed) return r;
    }
    return { changed: true };
  },
});
