/**
 * sysctl: one key in a sysctl.conf-style file, plus the running kernel. Follows Ansible:
 * the file line is `name=value`; sysctl_set compares and sets the kernel value with
 * `sysctl -w`; reload runs `sysctl -p FILE` when the task changed something.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule, type Plan, type ReadContext } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { fact } from '../_lib/hostFlavor.js';
import { runChecked } from '../_lib/runChecked.js';

const args = {
  name: { type: 'str', required: true, aliases: ['key'] },
  value: { type: 'str', aliases: ['val'] },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
  reload: { type: 'bool', default: true },
  sysctl_set: { type: 'bool', default: false },
  ignoreerrors: { type: 'bool', default: false },
} as const;

export interface SysctlPlanData {
  content?: string;
  setKernel: boolean;
}

/** Kernel values compare with whitespace normalised (`4\t4\t1\t7` equals `4 4 1 7`). */
export function normaliseValue(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

/** net/ipv4/ip_forward and net.ipv4.ip_forward are the same key. */
function keyOf(name: string): string {
  return name.trim().replace(/\//g, '.');
}

/**
 * The file with the key set (first occurrence replaced, later duplicates dropped, else
 * appended) or removed. Comments and other keys stay as they are.
 */
export function editSysctlFile(text: string, name: string, value: string | undefined): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  let done = false;
  for (const line of lines) {
    const m = /^\s*([^#;=\s][^=]*?)\s*=(.*)$/.exec(line);
    if (m && keyOf(m[1]!) === keyOf(name)) {
      if (value !== undefined && !done) out.push(`${name}=${value}`);
      done = true;
      continue;
    }
    out.push(line);
  }
  if (value !== undefined && !done) out.push(`${name}=${value}`);
  return out.length ? out.join('\n') + '\n' : '';
}

export function fileValue(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*([^#;=\s][^=]*?)\s*=(.*)$/.exec(line);
    if (m && keyOf(m[1]!) === keyOf(name) && found === undefined) found = m[2]!.trim();
  }
  return found;
}

/**
 * Why a settings file would be lost at the next boot, if it would: Red Hat 4/5 apply only
 * /etc/sysctl.conf at boot (rc.sysinit runs `sysctl -e -p /etc/sysctl.conf`); sysctl.d/
 * directories are read from Red Hat 6 and by systemd-sysctl.
 */
export function unreadAtBoot(file: string, facts: Record<string, unknown>): string | undefined {
  if (!/^\/(etc|run|usr\/lib|lib)\/sysctl\.d\//.test(file)) return undefined;
  const major = Number(fact(facts, 'distribution_major_version'));
  if (fact(facts, 'os_family') !== 'RedHat' || !Number.isFinite(major) || major >= 6) return undefined;
  const name = `${fact(facts, 'distribution') ?? 'Red Hat'} ${major}`;
  return `${name} does not read ${file.replace(/[^/]*$/, '')} at boot (its rc.sysinit applies /etc/sysctl.conf only), so this setting would be lost at the next reboot: use sysctl_file: /etc/sysctl.conf`;
}

async function factsOrEmpty(ctx: ReadContext): Promise<Record<string, unknown>> {
  try {
    return await ctx.facts();
  } catch {
    return {}; // no facts: nothing known about the boot, no refusal
  }
}

export default defineModule<typeof args, SysctlPlanData>({
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  args,
  check: (a) => (a.state === 'present' && a.value === undefined ? "'value' is required with state=present" : undefined),
  async plan(ctx, a): Promise<Plan<SysctlPlanData>> {
    const lost = a.state === 'present' ? unreadAtBoot(a.sysctl_file, await factsOrEmpty(ctx)) : undefined;
    if (lost) return { kind: 'fail', msg: lost };
    const r = await probeBatch(ctx, { file: sh`cat ${a.sysctl_file}`, kernel: sh`sysctl -n ${keyOf(a.name)}` });
    const text = r.file.rc === 0 ? r.file.stdout : '';
    const proc = r.kernel.rc === 0 ? normaliseValue(r.kernel.stdout) : undefined;
    const value = a.state === 'present' ? a.value! : undefined;
    const after = editSysctlFile(text, a.name, value === undefined ? undefined : value.trim());
    const cur = fileValue(text, a.name);
    const fileChange = a.state === 'present' ? cur === undefined || normaliseValue(cur) !== normaliseValue(value!) : cur !== undefined;
    const setKernel = a.state === 'present' && a.sysctl_set && (proc === undefined || proc !== normaliseValue(value!));
    if (!fileChange && !setKernel) return { kind: 'ok', result: { name: a.name, value: proc } };
    const changes = [
      ...(fileChange ? [`${a.state === 'present' ? 'set' : 'remove'} ${a.name} in ${a.sysctl_file}`] : []),
      ...(setKernel ? [`sysctl -w ${keyOf(a.name)}=${value} (kernel has ${proc ?? 'no such key'})`] : []),
      ...(a.reload ? [`reload ${a.sysctl_file}`] : []),
    ];
    return {
      kind: 'change',
      changes,
      ...(fileChange ? { diff: [{ path: a.sysctl_file, before: text, after }] } : {}),
      data: { ...(fileChange ? { content: after } : {}), setKernel },
      result: { name: a.name, ...(value !== undefined ? { value } : {}) },
    };
  },
  async apply(ctx, a, data) {
    const okCodes = a.ignoreerrors ? [0, 1, 255] : [0];
    const e = shellRaw(a.ignoreerrors ? '-e ' : '');
    if (data.setKernel) await runChecked(ctx, 'sysctl -w', sh`sysctl ${e}-w ${`${keyOf(a.name)}=${a.value!.trim()}`}`, { okCodes });
    if (data.content !== undefined) {
      const st = await ctx.stat(a.sysctl_file);
      await ctx.writeFile(a.sysctl_file, data.content, st ? { mode: (st.mode & 0o7777).toString(8).padStart(4, '0') } : { mode: '0644' });
    }
    if (a.reload) await runChecked(ctx, `sysctl -p ${a.sysctl_file}`, sh`sysctl ${e}-p ${a.sysctl_file}`, { okCodes });
    return { result: { name: a.name, value: a.value } };
  },
});
