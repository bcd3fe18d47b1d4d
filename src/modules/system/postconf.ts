/**
 * postconf (kelpie's own module): Postfix main.cf parameters through `postconf -e`/`-X`,
 * and master.cf services through `postconf -M`/`-Me`/`-MX`. Postfix's own tool does the
 * editing, so files keep their comments and layout; plan() only runs `postconf -h/-nh/-M`.
 *
 *   postconf: {name: smtpd_milters, value: "unix:/var/spool/postfix/spamass/spamass.sock"}
 *   postconf: {service: spamass, type: unix, unpriv: n, chroot: n, command: "pipe user=nobody argv=/bin/true"}
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type Plan } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';

const field = { type: 'str' } as const;
const args = {
  name: { type: 'str', aliases: ['param'] },
  value: { type: 'str' },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  config_dir: { type: 'path', aliases: ['c'] },
  service: { type: 'str' },
  type: { type: 'str', choices: ['inet', 'unix', 'unix-dgram', 'fifo', 'pass'] },
  private: field,
  unpriv: field,
  chroot: field,
  wakeup: field,
  maxproc: field,
  command: { type: 'str' },
} as const;

export interface PostconfPlanData {
  cmd: string;
}

export const MASTER_FIELDS = ['private', 'unpriv', 'chroot', 'wakeup', 'maxproc'] as const;

/** `smtp      inet  n       -       y       -       -       smtpd` → its eight fields (command keeps its args). */
export function parseMasterLine(line: string): string[] | undefined {
  const words = line.trim().split(/\s+/);
  if (words.length < 8) return undefined;
  return [...words.slice(0, 7), words.slice(7).join(' ')];
}

function cfg(dir: string | undefined): ShellCommand {
  return dir ? sh`-c ${dir} ` : shellRaw('');
}

export default defineModule<typeof args, PostconfPlanData>({
  name: 'postconf',
  aliases: ['kelpie.postconf'],
  args,
  check(a) {
    if (a.name && a.service) return "give either 'name' (main.cf) or 'service'+'type' (master.cf), not both";
    if (!a.name && !(a.service && a.type)) return "'name', or 'service' and 'type', are required";
    if (a.name && a.state === 'present' && a.value === undefined) return "'value' is required with state=present";
    if (a.service && a.state === 'present' && a.command === undefined) return "'command' is required for a master.cf service";
    return undefined;
  },
  async plan(ctx, a): Promise<Plan<PostconfPlanData>> {
    const c = cfg(a.config_dir);
    if (a.name) {
      const r = await probeBatch(ctx, {
        effective: { cmd: sh`postconf ${c}-h ${a.name}`, mergeStderr: false },
        explicit: sh`postconf ${c}-nh ${a.name}`,
        which: shellRaw('command -v postconf'),
      });
      if (r.which.rc !== 0) {
        return { kind: 'fail', msg: 'postconf not found: is postfix installed?' };
      }
      const before = r.effective.stdout.replace(/\n$/, '');
      const isSet = r.explicit.stdout.trim() !== '';
      const diff = (b: string, x: string) => [{ path: `main.cf ${a.name}`, before: b ? `${a.name} = ${b}\n` : '', after: x ? `${a.name} = ${x}\n` : '' }];
      if (a.state === 'absent') {
        if (!isSet) return { kind: 'ok', result: { name: a.name, value: before } };
        return { kind: 'change', changes: [`remove ${a.name} from main.cf`], diff: diff(before, ''), data: { cmd: sh`postconf ${c}-X ${a.name}`.text } };
      }
      // Compare the effective value: a default equal to the wanted value needs no edit.
      if (before === a.value!.trim()) return { kind: 'ok', result: { name: a.name, value: before } };
      return {
        kind: 'change',
        changes: [`${a.name}: ${before || '(empty)'} -> ${a.value}`],
        diff: diff(before, a.value!.trim()),
        data: { cmd: sh`postconf ${c}-e ${`${a.name}=${a.value!.trim()}`}`.text },
        result: { name: a.name, value: a.value },
      };
    }
    const key = `${a.service}/${a.type}`;
    const r = await probeBatch(ctx, { entry: sh`postconf ${c}-M ${key}`, which: shellRaw('command -v postconf') });
    if (r.which.rc !== 0) {
      return { kind: 'fail', msg: 'postconf not found: is postfix installed?' };
    }
    const cur = parseMasterLine(r.entry.stdout.split('\n')[0] ?? '');
    const show = (f: string[] | undefined) => (f ? f.join(' ') + '\n' : '');
    if (a.state === 'absent') {
      if (!cur) return { kind: 'ok' };
      return { kind: 'change', changes: [`remove ${key} from master.cf`], diff: [{ path: `master.cf ${key}`, before: show(cur), after: '' }], data: { cmd: sh`postconf ${c}-MX ${key}`.text } };
    }
    // Fields left out keep what the entry has ('-', Postfix's default, for a new entry).
    const want = [a.service!, a.type!, ...MASTER_FIELDS.map((f, i) => a[f] ?? cur?.[i + 2] ?? '-'), a.command!.trim().split(/\s+/).join(' ')];
    if (cur && cur.join(' ') === want.join(' ')) return { kind: 'ok' };
    return {
      kind: 'change',
      changes: [`${cur ? 'update' : 'add'} ${key} in master.cf`],
      diff: [{ path: `master.cf ${key}`, before: show(cur), after: show(want) }],
      data: { cmd: sh`postconf ${c}-Me ${`${key}=${want.join(' ')}`}`.text },
    };
  },
  async apply(ctx, a, data) {
    const r = await runChecked(ctx, 'postconf', shellRaw(data.cmd));
    return { result: { name: a.name ?? `${a.service}/${a.type}`, stdout: r.stdout, stderr: r.stderr } };
  },
});
