/** String filters: case, trim, replace, split/join, format, indent, regex_*, encodings, hashes. */
import { createHash } from 'node:crypto';
import { TemplateError } from '../../errors.js';
import { quote } from '../../shell/quote.js';
import { percentFormat } from '../format.js';
import { center, pySplit } from '../methods.js';
import { num, pyStr, truthy } from '../pyvalue.js';
import { arg, asList, onlyKeywords, splitArgs, type FilterFn } from './args.js';
import { memberLookup } from '../methods.js';

/** Python `re` syntax → JS RegExp. */
export function pyRegex(pattern: unknown, flags = ''): RegExp {
  let src = pyStr(pattern);
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new TemplateError(`re.error: ${pythonReError(pyStr(pattern)) ?? (e as Error).message}`);
  }
}

/** How Python's re words the commonest syntax errors of a pattern (JS words them differently). */
function pythonReError(src: string): string | undefined {
  const open: number[] = [];
  let classStart = -1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      if (i === src.length - 1) return `bad escape (end of pattern) at position ${i}`;
      i++;
    } else if (classStart >= 0) {
      if (c === ']' && i > classStart + 1 && !(i === classStart + 2 && src[classStart + 1] === '^')) classStart = -1;
    } else if (c === '[') classStart = i;
    else if (c === '(') open.push(i);
    else if (c === ')') {
      if (open.pop() === undefined) return `unbalanced parenthesis at position ${i}`;
    } else if ('*+?'.includes(c) && (i === 0 || '(|'.includes(src[i - 1]!))) return `nothing to repeat at position ${i}`;
  }
  if (classStart >= 0) return `unterminated character set at position ${classStart}`;
  if (open.length) return `missing ), unterminated subpattern at position ${open[open.length - 1]}`;
  return undefined;
}

function reFlags(a: ReturnType<typeof splitArgs>, first: number): string {
  let f = '';
  if (truthy(arg(a, first, 'multiline', false))) f += 'm';
  if (truthy(arg(a, first + 1, 'ignorecase', false))) f += 'i';
  return f;
}

/** Expands a Python replacement template (`\\1`, `\\g<name>`, `\\n`) for one match. */
function expandReplacement(r: string, groups: (string | undefined)[], named: Record<string, string | undefined> | undefined): string {
  return r.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (_m, g: string | undefined, d: string | undefined, c: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? groups[Number(g)] : named?.[g]) ?? '';
    if (d !== undefined) return groups[Number(d)] ?? '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return esc[c!] ?? '\\' + c;
  });
}

function regexSearch(value: unknown, pattern: unknown, ...rest: unknown[]): unknown {
  const a = splitArgs(rest);
  const groups = a.pos.filter((x) => typeof x === 'string' && /^\\(\d+|g<\w+>)$/.test(x)) as string[];
  const flags = (truthy(a.kw['multiline']) ? 'm' : '') + (truthy(a.kw['ignorecase']) ? 'i' : '');
  const m = pyRegex(pattern, flags).exec(pyStr(value));
  if (!m) return groups.length ? null : null;
  if (!groups.length) return m[0];
  return groups.map((g) => {
    const d = /^\\(\d+)$/.exec(g);
    if (d) return m[Number(d[1])] ?? null;
    const name = /^\\g<(\w+)>$/.exec(g)![1]!;
    return /^\d+$/.test(name) ? m[Number(name)] ?? null : m.groups?.[name] ?? null;
  });
}

function regexFindall(value: unknown, pattern: unknown, ...rest: unknown[]): unknown[] {
  const a = splitArgs(rest);
  const re = pyRegex(pattern, 'g' + reFlags(a, 0));
  const out: unknown[] = [];
  for (const m of pyStr(value).matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(m.slice(1).map((g) => g ?? ''));
  }
  return out;
}

function regexEscape(value: unknown, reType: unknown = 'python'): string {
  const type = pyStr(reType);
  // POSIX basic regular expressions have fewer special characters than Python's
  if (type === 'posix_basic') return pyStr(value).replace(/[\].[^$*\\]/g, (c) => '\\' + c);
  if (type !== 'python') throw new TemplateError(type === 'posix_extended' ? `Regex type (${type}) not yet implemented` : `Invalid regex type (${type})`);
  return pyStr(value).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}

function indent(value: unknown, ...rest: unknown[]): string {
  const a = splitArgs(rest);
  const w = arg(a, 0, 'width', 4);
  const ind = typeof w === 'string' ? w : ' '.repeat(num(w));
  const first = truthy(arg(a, 1, 'first', false));
  const blank = truthy(arg(a, 2, 'blank', false));
  const lines = (pyStr(value) + '\n').split('\n');
  lines.pop(); // the quirk: a trailing newline is kept, without indentation
  let out: string;
  if (blank) out = lines.join('\n' + ind);
  else out = (lines[0] ?? '') + (lines.length > 1 ? '\n' + lines.slice(1).map((l) => (l ? ind + l : l)).join('\n') : '');
  return first ? ind + out : out;
}

function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter((x) => x)
    .map((x) => x.charAt(0).toUpperCase() + x.slice(1).toLowerCase())
    .join('');
}

function hashOf(value: unknown, algo: string): string {
  const map: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
  const alg = map[algo.toLowerCase()];
  if (!alg) throw new TemplateError(`hash: unsupported hash type '${algo}'`);
  return createHash(alg).update(pyStr(value), 'utf8').digest('hex');
}

function join(this: unknown, value: unknown, ...rest: unknown[]): string {
  const a = splitArgs(rest);
  const sep = pyStr(arg(a, 0, 'd', ''));
  const attr = arg(a, 1, 'attribute', null);
  const items = asList(value, 'join');
  return items.map((x) => pyStr(attr === null ? x : memberLookup(x, attr))).join(sep);
}

/** Python's shlex.quote, byte for byte: quote.ts decides, the '"'"' spelling is shlex's. */
function shlexQuote(s: string): string {
  if (s !== '' && quote(s) === s) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

export const stringFilters: Record<string, FilterFn> = {
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: (v) => {
    const s = pyStr(v);
    return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  },
  title: (v) => jinjaTitle(pyStr(v)),
  trim: (v, chars) => {
    const s = pyStr(v);
    if (chars === undefined || chars === null) return s.trim();
    const set = pyStr(chars);
    let i = 0;
    let j = s.length;
    while (i < j && set.includes(s[i]!)) i++;
    while (j > i && set.includes(s[j - 1]!)) j--;
    return s.slice(i, j);
  },
  replace(v, ...rest) {
    const a = splitArgs(rest);
    const s = pyStr(v);
    const from = pyStr(arg(a, 0, 'old', ''));
    const to = pyStr(arg(a, 1, 'new', ''));
    const count = arg(a, 2, 'count', null);
    const parts = s.split(from);
    if (count === null || parts.length - 1 <= num(count)) return parts.join(to);
    const n = num(count);
    return parts.slice(0, n + 1).join(to) + from + parts.slice(n + 1).join(from);
  },
  regex_replace(v, ...rest) {
    const a = splitArgs(rest);
    onlyKeywords('regex_replace', a, ['value', 'pattern', 'replacement', 'ignorecase', 'multiline']);
    const pattern = arg(a, 0, 'pattern', '');
    const repl = pyStr(arg(a, 1, 'replacement', ''));
    const flags = 'g' + (truthy(arg(a, 2, 'ignorecase', false)) ? 'i' : '') + (truthy(arg(a, 3, 'multiline', false)) ? 'm' : '');
    const re = pyRegex(pattern, flags);
    return pyStr(v).replace(re, (...m: unknown[]) => {
      const last = m[m.length - 1];
      const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
      const groupCount = m.length - (named ? 3 : 2);
      return expandReplacement(repl, m.slice(0, groupCount) as (string | undefined)[], named);
    });
  },
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: (v, ...rest) => regexEscape(v, arg(splitArgs(rest), 0, 're_type', 'python')),
  join,
  split: (v, sep, max) => pySplit(pyStr(v), sep === undefined ? null : sep, max),
  format(v, ...rest) {
    const a = splitArgs(rest);
    return percentFormat(pyStr(v), Object.keys(a.kw).length ? a.kw : a.pos);
  },
  indent,
  center: (v, w) => center(pyStr(v), w === undefined ? 80 : num(w)),
  wordcount: (v) => (pyStr(v).match(/\w+/gu) ?? []).length,
  truncate(v, ...rest) {
    const a = splitArgs(rest);
    const s = pyStr(v);
    const length = num(arg(a, 0, 'length', 255));
    const killwords = truthy(arg(a, 1, 'killwords', false));
    const end = pyStr(arg(a, 2, 'end', '...'));
    const leeway = num(arg(a, 3, 'leeway', 5));
    if (s.length <= length + leeway) return s;
    if (killwords) return s.slice(0, length - end.length) + end;
    const cut = s.slice(0, length - end.length);
    const i = cut.lastIndexOf(' ');
    return (i >= 0 ? cut.slice(0, i) : cut) + end;
  },
  quote: (v) => shlexQuote(pyStr(v)),
  b64encode: (v) => Buffer.from(pyStr(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(pyStr(v), 'base64').toString('utf8'),
  hash: (v, algo) => hashOf(v, algo === undefined ? 'sha1' : pyStr(algo)),
  checksum: (v) => hashOf(v, 'sha1'),
  sha1: (v) => hashOf(v, 'sha1'),
  md5: (v) => hashOf(v, 'md5'),
};
