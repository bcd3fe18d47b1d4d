/**
 * ip_rule: a policy routing rule (`ip rule add from 10.0.1.5 table 1`). A rule matches
 * when every selector given agrees with one `ip rule show` line; priority only counts
 * when given. Persistence: Debian `up ip rule add ... || true` in the device's stanza,
 * Red Hat /etc/sysconfig/network-scripts/rule-DEV (one `ip rule add` argument list a line).
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import type { TextEditData } from '../_lib/textedit.js';
import { applyPersist, planPersist } from './persist.js';
import { formatRule, normFwmark, normPrefix, normTable, parseIpRules, type IpRule } from './ipParse.js';

interface Data {
  commands: ShellCommand[];
  edits: TextEditData[];
}

const args = {
  from: { type: 'str' },
  to: { type: 'str' },
  fwmark: { type: 'str' },
  iif: { type: 'str' },
  oif: { type: 'str' },
  table: { type: 'str', aliases: ['lookup'] },
  priority: { type: 'int', aliases: ['pref', 'preference'] },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  persist: { type: 'bool', default: false },
  persist_dev: { type: 'str', description: 'device whose stanza / rule-DEV file holds the rule (default: iif, oif, else eth0)' },
  ipv6: { type: 'bool', default: false },
} as const;

type Args = {
  from?: string | undefined; to?: string | undefined; fwmark?: string | undefined; iif?: string | undefined;
  oif?: string | undefined; table?: string | undefined; priority?: number | undefined;
};

/** The selector words in ip's order; used for add, del and the persisted line. */
export function ruleWords(a: Args): string[] {
  const w: string[] = [];
  if (a.from) w.push('from', a.from);
  if (a.to) w.push('to', a.to);
  if (a.fwmark) w.push('fwmark', a.fwmark);
  if (a.iif) w.push('iif', a.iif);
  if (a.oif) w.push('oif', a.oif);
  if (a.table) w.push('table', a.table);
  if (a.priority !== undefined) w.push('priority', String(a.priority));
  return w;
}

export function ruleMatches(r: IpRule, a: Args): boolean {
  if ((normPrefix(a.from) ?? 'all') !== normPrefix(r.from)) return false;
  if (normPrefix(a.to) !== normPrefix(r.to)) return false;
  if ((a.fwmark ? normFwmark(a.fwmark) : undefined) !== (r.fwmark ? normFwmark(r.fwmark) : undefined)) return false;
  if (a.iif !== r.iif || a.oif !== r.oif) return false;
  if (a.table !== undefined && normTable(a.table) !== normTable(r.table)) return false;
  if (a.priority !== undefined && a.priority !== r.priority) return false;
  return true;
}

export default defineModule({
  name: 'ip_rule',
  args,
  check(a) {
    if (!a.from && !a.to && !a.fwmark && !a.iif && !a.oif) return 'give at least one selector: from, to, fwmark, iif or oif';
    if (a.state === 'present' && !a.table) return "state=present needs 'table' (the routing table the rule looks up)";
    if (a.fwmark && !/^(0x[0-9a-f]+|\d+)(\/(0x[0-9a-f]+|\d+))?$/i.test(a.fwmark)) return `fwmark '${a.fwmark}' is not a number or number/mask`;
    return undefined;
  },
  async plan(ctx, a) {
    const fam = a.ipv6 ? ['-6'] : [];
    const r = await ctx.probe(sh`ip ${fam} rule show`);
    if (r.rc !== 0) return { kind: 'fail', msg: `ip rule show failed: ${r.stderr.trim()}` };
    const rules = parseIpRules(r.stdout);
    const matching = rules.filter((x) => ruleMatches(x, a));
    const commands: ShellCommand[] = [];
    let after = rules;
    if (a.state === 'present' && matching.length === 0) {
      commands.push(sh`ip ${fam} rule add ${ruleWords(a)}`);
      // The kernel picks one below the lowest non-zero priority when none is given.
      const prio = a.priority ?? Math.max(0, Math.min(...rules.filter((x) => x.priority > 0).map((x) => x.priority), 32766) - 1);
      const added: IpRule = { priority: prio, from: a.from ?? 'all', table: normTable(a.table) };
      if (a.to) added.to = a.to;
      if (a.fwmark) added.fwmark = normFwmark(a.fwmark);
      if (a.iif) added.iif = a.iif;
      if (a.oif) added.oif = a.oif;
      after = [...rules, added].sort((x, y) => x.priority - y.priority);
    } else if (a.state === 'absent') {
      // Delete by the full selector plus priority, so only the matched rule goes.
      for (const m of matching) commands.push(sh`ip ${fam} rule del ${ruleWords({ ...a, table: m.table, priority: m.priority })}`);
      after = rules.filter((x) => !matching.includes(x));
    }
    let edits: TextEditData[] = [];
    const diff: FileDiff[] = [];
    const changes = commands.map((c) => c.text);
    if (a.persist) {
      const dev = a.persist_dev ?? a.iif ?? a.oif ?? 'eth0';
      const words = ruleWords(a).join(' ');
      const p = await planPersist(ctx, {
        state: a.state as 'present' | 'absent',
        debian: { dev, options: [`up ip ${fam.join(' ')}${fam.length ? ' ' : ''}rule add ${words} || true`, `down ip ${fam.join(' ')}${fam.length ? ' ' : ''}rule del ${words} || true`] },
        redhat: { path: `/etc/sysconfig/network-scripts/${a.ipv6 ? 'rule6' : 'rule'}-${dev}`, lines: [words] },
      });
      if (p.fail) return { kind: 'fail', msg: p.fail };
      edits = p.edits;
      diff.push(...p.diff);
      changes.push(...p.changes);
    }
    if (!commands.length && !edits.length) return { kind: 'ok', msg: `rule ${ruleWords(a).join(' ')} is ${a.state}` };
    if (commands.length) {
      const show = (xs: IpRule[]): string => xs.map((x) => formatRule(x) + '\n').join('');
      diff.unshift({ path: 'ip rule show', beforeHeader: 'ip rule show (before)', afterHeader: 'ip rule show (after)', before: show(rules), after: show(after) });
    }
    return { kind: 'change', msg: changes.join('; '), changes, diff, data: { commands, edits } };
  },
  async apply(ctx, _a, data: Data) {
    for (const cmd of data.commands) await runChecked(ctx, cmd.text, cmd);
    const err = await applyPersist(ctx, data.edits);
    return err ? { failed: true, msg: err } : { changed: true };
  },
});
