/** Text filters from Jinja's builtins and Ansible's core: comment, urlencode, urlsplit, wordwrap, filesizeformat, xmlattr, pprint. */
import { TemplateError } from '../../errors.js';
import { isDict, num, plain, pyStr, pythonRepr, truthy } from '../pyvalue.js';
import { Undef } from '../undefined.js';
import { arg, asList, splitArgs, type FilterFn } from './args.js';

const COMMENT_STYLES: Record<string, { decoration: string; beginning?: string; end?: string }> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** Ansible's comment: optional beginning, prefix lines, each text line decorated, postfix lines, end. */
function comment(text: string, styleName: string, kw: Record<string, unknown>): string {
  const style = COMMENT_STYLES[styleName];
  if (!style) throw new TemplateError(`'${styleName}'`);
  const edge = pyStr(kw['decoration'] ?? style.decoration).trimEnd();
  const opt = (k: string, d: unknown): string => pyStr(kw[k] ?? d);
  const nl = opt('newline', '\n');
  const decoration = opt('decoration', style.decoration);
  const beginning = opt('beginning', style.beginning ?? '');
  const prefix = opt('prefix', edge);
  const postfix = opt('postfix', edge);
  const end = opt('end', style.end ?? '');
  const prefixCount = num(kw['prefix_count'] ?? 1);
  const postfixCount = num(kw['postfix_count'] ?? 1);
  let out = beginning ? beginning + nl : '';
  if (prefix) out += (prefix === nl ? nl : prefix + nl).repeat(prefixCount);
  out += (decoration + text.split(nl).join(nl + decoration)).split(decoration + nl).join(decoration.trimEnd() + nl);
  out += Array.from({ length: postfixCount }, () => nl + postfix).join('');
  return out + (end ? nl + end : '');
}

/** Python's quote (safe '/') or quote_plus (query strings: space is '+', nothing safe). */
function urlQuote(s: string, forQuery: boolean): string {
  const q = encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return forQuery ? q.replace(/%20/g, '+') : q.replace(/%2F/g, '/');
}

function urlencode(v: unknown): string {
  const p = plain(v);
  if (typeof p === 'string') return urlQuote(p, false);
  const pairs = isDict(p) ? Object.entries(p) : asList(p, 'urlencode');
  return pairs
    .map((pair) => {
      const kv = typeof pair === 'string' ? [...pair] : (plain(pair) as unknown[]);
      if (!Array.isArray(kv) || kv.length !== 2) throw new TemplateError(`too many values to unpack (expected 2)`);
      return `${urlQuote(pyStr(kv[0]), true)}=${urlQuote(pyStr(kv[1]), true)}`;
    })
    .join('&');
}

/** Python's urlsplit, as a dict (Ansible's urlsplit filter). */
function urlsplit(url: string): Record<string, unknown> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url)!;
  const netloc = m[2] ?? '';
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hp?.[1] ?? '';
  const colon = userinfo?.indexOf(':') ?? -1;
  return {
    fragment: m[5] ?? '',
    hostname: host ? host.replace(/^\[|\]$/g, '').toLowerCase() : null,
    netloc,
    password: userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : null,
    path: m[3] ?? '',
    port: hp?.[2] ? parseInt(hp[2], 10) : null,
    query: m[4] ?? '',
    scheme: (m[1] ?? '').toLowerCase(),
    username: userinfo !== undefined ? (colon >= 0 ? userinfo.slice(0, colon) : userinfo) : null,
  };
}

/** Greedy wrap of each line at whitespace, as Python's textwrap does for plain prose. */
function wordwrap(s: string, width: number, wrapstring: string): string {
  return s
    .split(/\r\n|\n|\r/)
    .map((line) => {
      const lines: string[] = [];
      let cur = '';
      for (const word of line.split(/\s+/).filter(Boolean)) {
        if (cur && cur.length + 1 + word.length > width) {
          lines.push(cur);
          cur = word;
        } else cur = cur ? `${cur} ${word}` : word;
      }
      if (cur) lines.push(cur);
      return lines.join(wrapstring);
    })
    .join(wrapstring);
}

function filesizeformat(value: number, binary: boolean): string {
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (value === 1) return '1 Byte';
  if (value < base) return `${Math.trunc(value)} Bytes`;
  let i = 0;
  while (i < prefixes.length - 1 && value >= base ** (i + 2)) i++;
  return `${((base * value) / base ** (i + 2)).toFixed(1)} ${prefixes[i]}`;
}

const htmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** Python's pprint for values that fit on a line: repr with dict keys sorted. */
function pprint(v: unknown): string {
  const p = plain(v);
  if (Array.isArray(p)) return pythonRepr(p.map((x) => sortedKeys(x)));
  return pythonRepr(sortedKeys(p));
}
function sortedKeys(v: unknown): unknown {
  const p = plain(v);
  if (Array.isArray(p)) return p.map(sortedKeys);
  if (!isDict(p)) return p;
  return Object.fromEntries(Object.keys(p).sort().map((k) => [k, sortedKeys(p[k])]));
}

export const textFilters: Record<string, FilterFn> = {
  comment(v, ...rest) {
    const a = splitArgs(rest);
    return comment(pyStr(v), pyStr(arg(a, 0, 'style', 'plain')), a.kw);
  },
  urlencode,
  urlsplit(v, query) {
    const parts = urlsplit(pyStr(v));
    if (query === undefined || query === '') return parts;
    const q = pyStr(query);
    if (!(q in parts)) throw new TemplateError(`urlsplit: unknown URL component: ${q}`);
    return parts[q];
  },
  wordwrap(v, ...rest) {
    const a = splitArgs(rest);
    const wrap = arg(a, 2, 'wrapstring', null);
    return wordwrap(pyStr(v), num(arg(a, 0, 'width', 79)), wrap === null ? '\n' : pyStr(wrap));
  },
  filesizeformat: (v, ...rest) => filesizeformat(num(v), truthy(arg(splitArgs(rest), 0, 'binary', false))),
  xmlattr(v, ...rest) {
    const d = plain(v);
    if (!isDict(d)) throw new TemplateError('xmlattr: expected a dictionary');
    const attrs = Object.entries(d)
      .filter(([, x]) => x !== null && x !== undefined && !(x instanceof Undef))
      .map(([k, x]) => `${htmlEscape(k)}="${htmlEscape(pyStr(x))}"`)
      .join(' ');
    return attrs && truthy(arg(splitArgs(rest), 0, 'autospace', true)) ? ' ' + attrs : attrs;
  },
  pprint: (v) => pprint(v),
};
