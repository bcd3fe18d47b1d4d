/**
 * Host patterns as Ansible evaluates them: `a:b` / `a,b` union, `&` intersection,
 * `!` exclusion (plain terms first, then `&`, then `!`), globs, `~regex`,
 * and `[i]` / `[i:j]` subscripts on a term's hosts.
 */
import { readFileSync } from 'node:fs';
import { wildcardSource } from '../fnmatch.js';
import { ConfigError } from '../errors.js';

export interface PatternSource {
  /** Host names in first-appearance order. */
  hostNames(): Iterable<string>;
  hasHost(name: string): boolean;
  groupNames(): Iterable<string>;
  /** Hosts of a group including descendants, breadth first. */
  hostsOfGroup(group: string): string[];
  /** Whether `name` resolves to the implicit localhost. */
  implicitHost(name: string): boolean;
}

const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];
export const isLocalhostName = (name: string): boolean => LOCALHOST_NAMES.includes(name);

/** Split a pattern into terms on ',' or ':' (colons inside [...] and IPv6 addresses kept). */
export function splitPattern(pattern: string): string[] {
  const pieces = pattern.split(',');
  const out: string[] = [];
  for (const piece of pieces) {
    const p = piece.trim();
    if (!p) continue;
    if (/^[!&]?[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/.test(p)) {
      out.push(p); // an IPv6 address
      continue;
    }
    for (const m of p.matchAll(/(?:[^\s:[\]]|\[[^\]]*\])+/g)) out.push(m[0]);
  }
  return out;
}

/** Expand `@file` entries of a --limit into the patterns the file lists, one per line. */
export function expandLimit(limit: string): string[] {
  const out: string[] = [];
  for (const term of splitPattern(limit)) {
    if (!term.startsWith('@')) {
      out.push(term);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(term.slice(1), 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read limit file '${term.slice(1)}': ${(e as Error).message}`, { cause: e });
    }
    for (const line of text.split('\n')) if (line.trim()) out.push(line.trim());
  }
  return out;
}

export function evaluatePatterns(terms: string[], src: PatternSource, warnings: string[]): string[] {
  const plain = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  const inter = terms.filter((t) => t.startsWith('&'));
  const excl = terms.filter((t) => t.startsWith('!'));
  const ordered = [...(plain.length > 0 ? plain : ['all']), ...inter, ...excl];
  let hosts: string[] = [];
  for (const term of ordered) {
    if (src.hasHost(term)) {
      if (!hosts.includes(term)) hosts.push(term);
      continue;
    }
    const that = matchOne(term.replace(/^[!&]/, ''), src, warnings);
    if (term.startsWith('!')) {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (term.startsWith('&')) {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const have = new Set(hosts);
      for (const h of that) if (!have.has(h)) hosts.push(h);
    }
  }
  return hosts;
}

function matchOne(term: string, src: PatternSource, warnings: string[]): string[] {
  if (!term) throw new ConfigError('empty host pattern term', { hint: "a pattern term follows ':', ',', '&' or '!'" });
  const { expr, subscript } = splitSubscript(term);
  const hosts = enumerate(expr, src, warnings);
  if (!subscript) return hosts;
  const [start, end] = subscript;
  if (end === undefined) {
    const h = hosts.at(start);
    if (h === undefined) warnings.push(`Host pattern subscript [${start}] is out of range for '${expr}' (${hosts.length} hosts)`);
    return h === undefined ? [] : [h];
  }
  return hosts.slice(start, end === -1 ? hosts.length : end + 1);
}

function splitSubscript(term: string): { expr: string; subscript: [number, number | undefined] | undefined } {
  if (term.startsWith('~')) return { expr: term, subscript: undefined };
  const m = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$/.exec(term);
  if (!m) return { expr: term, subscript: undefined };
  if (m[2] !== undefined) return { expr: m[1]!, subscript: [Number(m[2]), undefined] };
  return { expr: m[1]!, subscript: [Number(m[3]), m[5] ? Number(m[5]) : -1] };
}

function enumerate(expr: string, src: PatternSource, warnings: string[]): string[] {
  const re = compileTerm(expr);
  const seen = new Set<string>();
  const results: string[] = [];
  const add = (h: string): void => {
    if (!seen.has(h)) {
      seen.add(h);
      results.push(h);
    }
  };
  const groups = [...src.groupNames()].filter((g) => re.test(g));
  for (const g of groups) for (const h of src.hostsOfGroup(g)) add(h);
  // Globs and regexes may match hosts as well as groups; plain names only when no group matched.
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of src.hostNames()) if (re.test(h)) add(h);
  }
  if (results.length === 0 && src.implicitHost(expr)) add(expr);
  if (results.length === 0 && groups.length === 0 && expr !== 'all') {
    warnings.push(`Could not match supplied host pattern, ignoring: ${expr}`);
  }
  return results;
}

/** `~regex` is a Python regex matched at the start; anything else is a whole-name glob. */
function compileTerm(expr: string): RegExp {
  const source = expr.startsWith('~') ? `^(?:${pythonRegexToJs(expr.slice(1))})` : `^${wildcardSource(expr)}$`;
  try {
    return new RegExp(source, 's');
  } catch (e) {
    throw new ConfigError(`invalid host pattern '${expr}': ${(e as Error).message}`, { cause: e });
  }
}

function pythonRegexToJs(src: string): string {
  return src.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

