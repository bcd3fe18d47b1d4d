/**
 * The lookups that build lists from lists: `sequence`, `together`, `nested`,
 * `indexed_items`, `subelements`. A `with_<name>:` loop is the lookup of that name, so the
 * executor's loops (executor/loop.ts) and `lookup()`/`query()` in templates share these.
 */
import { TemplateError } from '../errors.js';
import { percentFormat } from './format.js';
import { isDict, pyStr, pythonRepr, truthy } from './pyvalue.js';

/** `[start-]end[/stride][:format]`, numbers in any base Python's int(x, 0) reads. */
const SHORTCUT = /^(?:(0[xo]?[0-9a-f]+|[0-9]+)-)?(0[xo]?[0-9a-f]+|[0-9]+)(?:\/(0[xo]?[0-9a-f]+|[0-9]+))?(?::(.+))?$/i;

function pyInt(text: string, what: string): number {
  const t = text.trim().toLowerCase();
  const m = /^([-+]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|0|[1-9][0-9]*)$/.exec(t);
  if (!m) throw new TemplateError(`can't parse ${what}=${text} as integer`);
  const body = m[2]!;
  const n = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.startsWith('0o') ? parseInt(body.slice(2), 8) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : Number(body);
  return m[1] === '-' ? -n : n;
}

/** One `with_sequence` term (`start=1 end=3 format=%02d`, `4-8/2`, or a dict of those keys): its items as text. */
export function sequenceItems(term: string | Record<string, unknown>): string[] {
  let start = 1;
  let end: number | undefined;
  let stride = 1;
  let count: number | undefined;
  let format = '%d';
  const kv: Record<string, string> = {};
  if (typeof term === 'string') {
    const m = SHORTCUT.exec(term.trim());
    if (m) {
      if (m[1] !== undefined) start = pyInt(m[1], 'start');
      end = pyInt(m[2]!, 'end');
      if (m[3] !== undefined) stride = pyInt(m[3], 'stride');
      if (m[4] !== undefined) format = m[4];
    } else {
      for (const part of term.split(/\s+/).filter(Boolean)) {
        const eq = part.indexOf('=');
        if (eq < 0) throw new TemplateError(`unrecognized arguments to with_sequence: ${pythonRepr([part])}`);
        kv[part.slice(0, eq)] = part.slice(eq + 1);
      }
    }
  } else for (const [k, v] of Object.entries(term)) kv[k] = pyStr(v);
  for (const [k, v] of Object.entries(kv)) {
    if (k === 'start') start = pyInt(v, k);
    else if (k === 'end') end = pyInt(v, k);
    else if (k === 'stride') stride = pyInt(v, k);
    else if (k === 'count') count = pyInt(v, k);
    else if (k === 'format') format = v;
    else throw new TemplateError(`unrecognized arguments to with_sequence: ${pythonRepr(Object.keys(kv).filter((x) => !['start', 'end', 'stride', 'count', 'format'].includes(x)))}`);
  }
  if (count === undefined && end === undefined) throw new TemplateError('must specify count or end in with_sequence');
  if (count !== undefined && end !== undefined) throw new TemplateError("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    if (count === 0) return [];
    end = start + count * stride - 1;
  }
  if (stride > 0 && end! < start) throw new TemplateError('to count backwards make stride negative');
  if (stride < 0 && end! > start) throw new TemplateError('to count forward don\'t make stride negative');
  if (format.split('%').length !== 2) throw new TemplateError(`bad formatting string: ${format}`);
  if (stride === 0) return [];
  const out: string[] = [];
  // Python's range(start, end + 1, stride) (end - 1 when counting down)
  if (stride > 0) for (let i = start; i <= end!; i += stride) out.push(percentFormat(format, [i]));
  else for (let i = start; i >= end!; i += stride) out.push(percentFormat(format, [i]));
  return out;
}

/** `with_together`: the lists side by side, the shorter ones padded with None. */
export function togetherItems(lists: unknown[][]): unknown[][] {
  if (lists.length === 0) throw new TemplateError('with_together requires at least one element in each list');
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
}

/** `with_nested` / `with_cartesian`: every combination, the first list varying slowest. */
export function nestedItems(lists: unknown[][]): unknown[][] {
  if (lists.length === 0) throw new TemplateError('with_nested requires at least one element in the nested list');
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

/** `with_indexed_items`: `[index, item]` pairs over the list flattened one level. */
export function indexedItems(list: unknown[]): unknown[][] {
  return list.flatMap((x) => (Array.isArray(x) ? x : [x])).map((x, i) => [i, x]);
}

/**
 * `with_subelements`: `[element, sub]` for every sub in each element's list at `path`
 * (dotted). As Ansible's lookup does, the list is taken out of the element it returns.
 */
export function subelementItems(elements: unknown, path: unknown, flags: unknown = {}): unknown[][] {
  const usage = 'subelements lookup expects a list of two or three items, ';
  if (!(Array.isArray(elements) || isDict(elements)) || typeof path !== 'string') throw new TemplateError(usage + 'first a dict or a list, second a string pointing to the subkey');
  if (!isDict(flags)) throw new TemplateError(usage + "the optional third item must be a dict with flags ['skip_missing']");
  if (isDict(elements) && elements['skipped'] !== undefined && elements['skipped'] !== false) return [];
  const list = Array.isArray(elements) ? elements : Object.values(elements);
  const keys = path.split('.');
  const skipMissing = truthy(flags['skip_missing'] ?? false);
  const out: unknown[][] = [];
  for (const raw of list) {
    if (!isDict(raw)) throw new TemplateError(`subelements lookup expects a dictionary, got '${pyStr(raw)}'`);
    if (raw['skipped'] !== undefined && raw['skipped'] !== false) continue;
    const element: Record<string, unknown> = { ...raw };
    let holder = element;
    let subs: unknown[] = [];
    for (const [i, key] of keys.entries()) {
      if (!(key in holder)) {
        if (skipMissing) continue;
        throw new TemplateError(`could not find '${key}' key in iterated item '${pyStr(holder)}'`);
      }
      const v = holder[key];
      if (i < keys.length - 1) {
        if (!isDict(v)) {
          if (skipMissing) continue;
          throw new TemplateError(`the key ${key} should point to a dictionary, got '${pyStr(v)}'`);
        }
        holder = holder[key] = { ...v };
      } else {
        if (!Array.isArray(v)) throw new TemplateError(`the key ${key} should point to a list, got '${pyStr(v)}'`);
        subs = v;
        delete holder[key];
      }
    }
    for (const sub of subs) out.push([element, sub]);
  }
  return out;
}
