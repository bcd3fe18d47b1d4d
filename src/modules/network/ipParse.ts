/**
 * Parsers for iproute2's text output (`ip -o addr show`, `ip rule show`, `ip route show`)
 * and the small normalisations that make a wanted value comparable with what ip prints.
 */

export interface IpAddr {
  dev: string;
  family: 'inet' | 'inet6';
  /** Address without prefix. */
  address: string;
  prefix: number;
  broadcast?: string;
  scope: string;
  /** IPv4 label (`lo:0`); ip prints the device name when there is no separate label. */
  label?: string;
}

/** Lines of `ip -o addr show [dev X]`: `1: lo    inet 10.0.0.5/32 scope global lo:0\  valid_lft ...`. */
export function parseIpAddr(text: string): IpAddr[] {
  const out: IpAddr[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.split('\\')[0] ?? '';
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)(.*)$/.exec(line);
    if (!m) continue;
    const rest = (m[5] ?? '').trim().split(/\s+/).filter(Boolean);
    const a: IpAddr = { dev: m[1]!, family: m[2] as 'inet' | 'inet6', address: m[3]!, prefix: Number(m[4]), scope: 'global' };
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!;
      if (w === 'brd' && rest[i + 1]) a.broadcast = rest[++i]!;
      else if (w === 'scope' && rest[i + 1]) a.scope = rest[++i]!;
      // The label is the last word of an IPv4 line, after the known keywords.
      else if (a.family === 'inet' && i === rest.length - 1 && /^[\w.:-]+$/.test(w) && !KNOWN_FLAGS.has(w)) a.label = w;
    }
    out.push(a);
  }
  return out;
}

const KNOWN_FLAGS = new Set(['secondary', 'dynamic', 'noprefixroute', 'tentative', 'deprecated', 'nodad', 'permanent', 'home', 'mngtmpaddr', 'temporary']);

/** The one-line text the modules show in diffs: `inet 10.0.0.5/32 scope global lo:0`. */
export function formatIpAddr(a: IpAddr): string {
  const brd = a.broadcast ? ` brd ${a.broadcast}` : '';
  const label = a.label && a.label !== a.dev ? ` label ${a.label}` : '';
  return `${a.family} ${a.address}/${a.prefix}${brd} scope ${a.scope}${label}`;
}

/** Splits `10.0.0.5/32` (or a bare address: /32, /128). Returns undefined when malformed. */
export function parseCidr(s: string): { address: string; prefix: number; family: 'inet' | 'inet6' } | undefined {
  const m = /^([0-9a-fA-F.:]+)(?:\/(\d{1,3}))?$/.exec(s.trim());
  if (!m) return undefined;
  const family = m[1]!.includes(':') ? 'inet6' : 'inet';
  if (family === 'inet' && !/^(\d{1,3})(\.\d{1,3}){3}$/.test(m[1]!)) return undefined;
  if (family === 'inet' && m[1]!.split('.').some((o) => Number(o) > 255)) return undefined;
  const max = family === 'inet' ? 32 : 128;
  const prefix = m[2] === undefined ? max : Number(m[2]);
  if (prefix > max) return undefined;
  return { address: family === 'inet6' ? m[1]!.toLowerCase() : m[1]!, prefix, family };
}

// ---------- ip rule ----------

export interface IpRule {
  priority: number;
  from: string;
  to?: string;
  fwmark?: string;
  iif?: string;
  oif?: string;
  table: string;
}

/** `32765:\tfrom 10.0.1.5 lookup 1`, `199:\tfrom all to 10.9.0.0/16 iif eth1 [detached] lookup 5`. */
export function parseIpRules(text: string): IpRule[] {
  const out: IpRule[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const w = m[2]!.replace(/\[\w+\]/g, '').trim().split(/\s+/);
    const r: IpRule = { priority: Number(m[1]), from: 'all', table: '' };
    for (let i = 0; i < w.length; i++) {
      const k = w[i]!;
      const v = w[i + 1];
      if (v === undefined) break;
      if (k === 'from') r.from = v;
      else if (k === 'to') r.to = v;
      else if (k === 'fwmark') r.fwmark = v;
      else if (k === 'iif') r.iif = v;
      else if (k === 'oif') r.oif = v;
      else if (k === 'lookup' || k === 'table') r.table = v;
      else continue;
      i++;
    }
    out.push(r);
  }
  return out;
}

/** Table ids ip prints by name (from /etc/iproute2/rt_tables' reserved entries). */
const TABLE_NAMES: Record<string, string> = { '253': 'default', '254': 'main', '255': 'local' };

export function normTable(t: string | number | undefined): string {
  const s = t === undefined ? 'main' : String(t).trim();
  return TABLE_NAMES[s] ?? s;
}

/** `16` and `0x10` are the same mark; ip prints hex. Keeps a `/mask` suffix. */
export function normFwmark(m: string | number): string {
  const [v, mask] = String(m).split('/');
  const hex = (x: string): string => '0x' + (/^0x/i.test(x) ? parseInt(x, 16) : parseInt(x, 10)).toString(16);
  return mask ? `${hex(v!)}/${hex(mask)}` : hex(v!);
}

/** ip prints a host prefix without its /32 (or /128). */
export function normPrefix(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (s === 'all' || s === 'default') return s;
  return s.replace(/\/32$/, '').replace(/(:[0-9a-fA-F]*)\/128$/, '$1').toLowerCase();
}

export function formatRule(r: IpRule): string {
  const parts = [`${r.priority}:`, 'from', r.from];
  if (r.to) parts.push('to', r.to);
  if (r.fwmark) parts.push('fwmark', r.fwmark);
  if (r.iif) parts.push('iif', r.iif);
  if (r.oif) parts.push('oif', r.oif);
  parts.push('lookup', r.table);
  return parts.join(' ');
}

// ---------- ip route ----------

export interface IpRoute {
  /** Route type when ip prints one (local, broadcast, unreachable, ...); unicast otherwise. */
  type: string;
  dest: string;
  table: string;
  via?: string;
  dev?: string;
  metric?: number;
  src?: string;
  scope?: string;
  proto?: string;
  /** The line as ip printed it, trimmed (for diffs). */
  text: string;
}

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'unreachable', 'prohibit', 'blackhole', 'throw', 'nat', 'anycast']);

/** Lines of `ip route show table T` (T given: lines then carry no `table` word) or `table all`. */
export function parseIpRoutes(text: string, table?: string): IpRoute[] {
  const out: IpRoute[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || raw.startsWith(' ') || raw.startsWith('\t')) continue; // nexthop continuation lines
    const w = line.split(/\s+/);
    let type = 'unicast';
    if (ROUTE_TYPES.has(w[0]!)) type = w.shift()!;
    const dest = w.shift();
    if (!dest) continue;
    const r: IpRoute = { type, dest, table: normTable(table), text: line };
    for (let i = 0; i < w.length; i++) {
      const k = w[i]!;
      const v = w[i + 1];
      if (v === undefined) break;
      if (k === 'via') r.via = v;
      else if (k === 'dev') r.dev = v;
      else if (k === 'metric') r.metric = Number(v);
      else if (k === 'src') r.src = v;
      else if (k === 'scope') r.scope = v;
      else if (k === 'proto') r.proto = v;
      else if (k === 'table') r.table = normTable(v);
      else continue;
      i++;
    }
    out.push(r);
  }
  return out;
}
