/**
 * ip_route: a route in a table (`ip route replace default via 10.0.0.1 table 1`). The
 * route's key is dest + table (+ metric when given); the other attributes are compared
 * only when given, since the kernel fills them in. Persistence: Debian `up ip route
 * replace ... || true` in the device's stanza, Red Hat network-scripts/route-DEV lines.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import type { TextEditData } from '../_lib/textedit.js';
import { applyPersist, planPersist } from './persist.js';
import { normPrefix, normTable, parseIpRoutes, type IpRoute } from './ipParse.js';

interface Data {
  commands: ShellCommand[];
  edits: TextEditData[];
}

const args = {
  dest: { type: 'str', required: true, aliases: ['to', 'destination'], description: "prefix or 'default'" },
  via: { type: 'str', aliases: ['gateway'] },
  dev: { type: 'str' },
  table: { type: 'str', default: 'main' },
  metric: { type: 'int' },
  src: { type: 'str' },
  scope: { type: 'str' },
  proto: { type: 'str' },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  persist: { type: 'bool', default: false },
  persist_dev: { type: 'str' },
} as const;

type Args = {
  dest: string; via?: string | undefined; dev?: string | undefined; table: string; metric?: number | undefined;
  src?: string | undefined; scope?: string | undefined; proto?: string | undefined;
};

export function routeWords(a: Args, opts: { tableWord?: boolean } = {}): string[] {
  const w = [a.dest];
  if (a.via) w.push('via', a.via);
  if (a.dev) w.push('dev', a.dev);
  if (a.proto) w.push('proto', a.proto);
  if (a.scope) w.push('scope', a.scope);
  if (a.src) w.push('src', a.src);
  if (a.metric !== undefined) w.push('metric', String(a.metric));
  if (opts.tableWord !== false && normTable(a.table) !== 'main') w.push('table', a.table);
  return w;
}

/** Same key (dest, metric when given) and every given attribute agrees. */
export function routeKeyMatches(r: IpRoute, a: Args): boolean {
  if (r.type !== 'unicast') return false;
  if (normPrefix(r.dest) !== normPrefix(a.dest)) return false;
  return a.metric === undefined || (r.metric ?? 0) === a.metric;
}

export function routeFits(r: IpRoute, a: Args): boolean {
  return (
    (a.via === undefined || normPrefix(a.via) === normPrefix(r.via)) &&
    (a.dev === undefined || a.dev === r.dev) &&
    (a.src === undefined || a.src === r.src) &&
    (a.scope === undefined || a.scope === r.scope) &&
    (a.proto === undefined || a.proto === (r.proto ?? 'boot'))
  );
}

export default defineModule({
  name: 'ip_route',
  args,
  check(a) {
    if (a.state === 'present' && !a.via && !a.dev) return "a route needs 'via' (a gateway) or 'dev'";
    if (a.persist && !a.persist_dev && !a.dev) return "persist needs 'persist_dev' (or 'dev') to know which stanza / route-DEV file holds the route";
    return undefined;
  },
  async plan(ctx, a) {
    const v6 = a.dest.includes(':') || (a.via ?? '').includes(':') ? ['-6'] : [];
    const r = await ctx.probe(sh`ip ${v6} route show table ${a.table}`);
    // A numbered table nobody has used yet does not exist: that is an empty table.
    if (r.rc !== 0 && /FIB table does not exist/.test(r.stderr)) r.stdout = '';
    else if (r.rc !== 0) return { kind: 'fail', msg: `ip route show table ${a.table} failed: ${r.stderr.trim()}` };
    const routes = parseIpRoutes(r.stdout, a.table);
    const keyed = routes.filter((x) => routeKeyMatches(x, a));
    const commands: ShellCommand[] = [];
    let afterText: string[] = routes.map((x) => x.text);
    if (a.state === 'present' && !keyed.some((x) => routeFits(x, a))) {
      // Replace the route we found (keeping its metric) or add a new one.
      const metric = a.metric ?? keyed[0]?.metric;
      const words = routeWords({ ...a, metric });
      commands.push(sh`ip ${v6} route replace ${words}`);
      const newText = routeWords({ ...a, metric }, { tableWord: false }).join(' ');
      afterText = keyed[0] ? afterText.map((t) => (t === keyed[0]!.text ? newText : t)) : [...afterText, newText];
    } else if (a.state === 'absent') {
      for (const k of keyed) {
        commands.push(sh`ip ${v6} route del ${k.dest} ${k.metric !== undefined ? ['metric', String(k.metric)] : []} table ${a.table}`);
      }
      afterText = routes.filter((x) => !keyed.includes(x)).map((x) => x.text);
    }
    let edits: TextEditData[] = [];
    const diff: FileDiff[] = [];
    const changes = commands.map((c) => c.text);
    if (a.persist) {
      const dev = a.persist_dev ?? a.dev!;
      const words = routeWords(a).join(' ');
      const ip = v6.length ? 'ip -6' : 'ip';
      const p = await planPersist(ctx, {
        state: a.state as 'present' | 'absent',
        debian: { dev, options: [`up ${ip} route replace ${words} || true`, `down ${ip} route del ${words} || true`] },
        redhat: { path: `/etc/sysconfig/network-scripts/${v6.length ? 'route6' : 'route'}-${dev}`, lines: [words] },
      });
      if (p.fail) return { kind: 'fail', msg: p.fail };
      edits = p.edits;
      diff.push(...p.diff);
      changes.push(...p.changes);
    }
    if (!commands.length && !edits.length) return { kind: 'ok', msg: `route ${a.dest} in table ${a.table} is ${a.state}` };
    if (commands.length) {
      const path = `ip route show table ${a.table}`;
      const show = (xs: string[]): string => xs.map((x) => x + '\n').join('');
      diff.unshift({ path, beforeHeader: `${path} (before)`, afterHeader: `${path} (after)`, before: show(routes.map((x) => x.text)), after: show(afterText) });
    }
    return { kind: 'change', msg: changes.join('; '), changes, diff, data: { commands, edits } };
  },
  async apply(ctx, _a, data: Data) {
    for (const cmd of data.commands) await runChecked(ctx, cmd.text, cmd);
    const err = await applyPersist(ctx, data.edits);
    return err ? { failed: true, msg: err } : { changed: true };
  },
});
