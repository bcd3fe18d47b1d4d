/** List and dict filters: set operations, sort, map/select, combine, dict2items … */
import { TemplateError } from '../../errors.js';
import { memberLookup } from '../methods.js';
import { add } from '../operators.js';
import { isDict, num, tuple, plain, pyCompare, pyEquals, pyStr, pythonRepr, truthy } from '../pyvalue.js';
import { Undef } from '../undefined.js';
import { arg, asDict, asList, splitArgs, type FilterContext, type FilterFn } from './args.js';

function uniq(xs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) if (!out.some((y) => pyEquals(x, y))) out.push(x);
  return out;
}
const has = (xs: unknown[], x: unknown): boolean => xs.some((y) => pyEquals(x, y));

/** `attribute='a.b'` or `attribute=0` as Jinja resolves it. */
function attrGetter(attr: unknown): (x: unknown) => unknown {
  const parts = typeof attr === 'string' ? attr.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attr];
  return (x) => parts.reduce<unknown>((o, p) => memberLookup(o, p), x);
}

function sortKey(caseSensitive: boolean): (x: unknown) => unknown {
  return (x) => (!caseSensitive && typeof plain(x) === 'string' ? (plain(x) as string).toLowerCase() : x);
}

function flatten(xs: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) {
    const p = plain(x);
    if (skipNulls && (p === null || p === 'None')) continue;
    if (Array.isArray(p) && (levels === null || levels > 0)) out.push(...flatten(p, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

export function combine(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (recursive && isDict(cur) && isDict(v)) out[k] = combine(cur, v, true, listMerge);
    else if (Array.isArray(cur) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'append') out[k] = [...cur, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...cur];
      else if (listMerge === 'append_rp') out[k] = [...cur.filter((x) => !has(v, x)), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...cur.filter((x) => !has(v, x))];
      else if (listMerge === 'keep') out[k] = cur;
      else out[k] = v;
    } else out[k] = v;
  }
  return out;
}

/** select/reject/selectattr/rejectattr share this: test name + args, or truthiness. */
function testPicker(ctx: FilterContext, rest: unknown[]): (x: unknown) => boolean {
  if (rest.length === 0) return (x) => truthy(x);
  const [name, ...args] = rest;
  const test = ctx.env.getTest(pyStr(name));
  return (x) => test.call(ctx, x, ...args) === true;
}

function map(this: FilterContext, value: unknown, ...rest: unknown[]): unknown[] {
  const xs = asList(value, 'map');
  const a = splitArgs(rest);
  if ('attribute' in a.kw) {
    const get = attrGetter(a.kw['attribute']);
    const hasDefault = 'default' in a.kw;
    return xs.map((x) => {
      const v = get(x);
      return v instanceof Undef && hasDefault ? a.kw['default'] : v;
    });
  }
  const [name, ...args] = rest;
  if (name === undefined) return xs;
  const f = this.env.getFilter(pyStr(name));
  return xs.map((x) => f.call(this, x, ...args));
}

function minmax(sign: number) {
  return function (value: unknown, ...rest: unknown[]): unknown {
    const a = splitArgs(rest);
    const xs = asList(value, sign > 0 ? 'max' : 'min');
    if (!xs.length) return new Undef('No aggregated item, sequence was empty.');
    const attr = a.kw['attribute'];
    const key = attr !== undefined ? attrGetter(attr) : sortKey(truthy(a.kw['case_sensitive']));
    return xs.reduce((best, x) => (pyCompare(key(x), key(best)) * sign > 0 ? x : best));
  };
}

export const collectionFilters: Record<string, FilterFn> = {
  first: (v) => {
    const xs = asList(v, 'first');
    return xs.length ? xs[0] : new Undef('No first item, sequence was empty.');
  },
  last: (v) => {
    const xs = asList(v, 'last');
    return xs.length ? xs[xs.length - 1] : new Undef('No last item, sequence was empty.');
  },
  min: minmax(-1),
  max: minmax(1),
  sum(v, ...rest) {
    const a = splitArgs(rest);
    const attr = arg(a, 0, 'attribute', null);
    const get = attr === null ? (x: unknown) => x : attrGetter(attr);
    return asList(v, 'sum').reduce<unknown>((acc, x) => add(acc, get(x)), arg(a, 1, 'start', 0));
  },
  unique(v, ...rest) {
    // Jinja's unique: case-insensitive unless told, the first of equal items kept
    const a = splitArgs(rest);
    const key = sortKey(truthy(arg(a, 0, 'case_sensitive', false)));
    const attr = arg(a, 1, 'attribute', null);
    const get = attr === null ? key : (x: unknown) => key(attrGetter(attr)(x));
    const seen: unknown[] = [];
    return asList(v, 'unique').filter((x) => !has(seen, get(x)) && seen.push(get(x)) > 0);
  },
  groupby(v, attribute, ...rest) {
    // Jinja's groupby: (grouper, items) pairs sorted by the grouper
    const get = attrGetter(attribute);
    const dflt = arg(splitArgs(rest), 0, 'default', undefined);
    const keyOf = (x: unknown): unknown => {
      const k = get(x);
      return k instanceof Undef && dflt !== undefined ? dflt : k;
    };
    const xs = [...asList(v, 'groupby')].sort((x, y) => pyCompare(keyOf(x), keyOf(y)));
    const groups: [unknown, unknown[]][] = [];
    for (const x of xs) {
      const last = groups[groups.length - 1];
      if (last && pyEquals(last[0], keyOf(x))) last[1].push(x);
      else groups.push([keyOf(x), [x]]);
    }
    return groups.map((g) => tuple(g));
  },
  union: (a, b) => uniq([...asList(a, 'union'), ...asList(b, 'union')]),
  intersect: (a, b) => uniq(asList(a, 'intersect').filter((x) => has(asList(b, 'intersect'), x))),
  difference: (a, b) => uniq(asList(a, 'difference').filter((x) => !has(asList(b, 'difference'), x))),
  symmetric_difference(a, b) {
    const xs = asList(a, 'symmetric_difference');
    const ys = asList(b, 'symmetric_difference');
    return uniq([...xs.filter((x) => !has(ys, x)), ...ys.filter((y) => !has(xs, y))]);
  },
  flatten(v, ...rest) {
    const a = splitArgs(rest);
    const levels = arg(a, 0, 'levels', null);
    return flatten(asList(v, 'flatten'), levels === null ? null : num(levels), truthy(arg(a, 1, 'skip_nulls', true)));
  },
  sort(v, ...rest) {
    const a = splitArgs(rest);
    const reverse = truthy(arg(a, 0, 'reverse', false));
    const cs = truthy(arg(a, 1, 'case_sensitive', false));
    const attr = arg(a, 2, 'attribute', null);
    const base = sortKey(cs);
    const key = attr === null ? base : (x: unknown) => base(attrGetter(attr)(x));
    const xs = [...asList(v, 'sort')];
    // Array.prototype.sort is stable, as Python's sort is.
    xs.sort((x, y) => pyCompare(key(x), key(y)) * (reverse ? -1 : 1));
    return xs;
  },
  reverse(v) {
    const p = plain(v);
    if (typeof p === 'string') return [...p].reverse().join('');
    return [...asList(p, 'reverse')].reverse();
  },
  /** `groups.web | map('extract', hostvars, 'ansible_host')`: container[item][morekeys…]. */
  extract(item, container, morekeys) {
    const step = (c: unknown, k: unknown): unknown => {
      if (c === null || c === undefined) return undefined;
      return (c as Record<string, unknown>)[typeof k === 'number' ? k : pyStr(k)];
    };
    let v = step(container, item);
    const more = morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys];
    for (const k of more) v = step(v, k);
    return v;
  },
  dict2items(v, ...rest) {
    const a = splitArgs(rest);
    const kn = pyStr(arg(a, 0, 'key_name', 'key'));
    const vn = pyStr(arg(a, 1, 'value_name', 'value'));
    const d = asDict(v, 'dict2items');
    return Object.keys(d).map((k) => ({ [kn]: k, [vn]: d[k] }));
  },
  items2dict(v, ...rest) {
    const a = splitArgs(rest);
    const kn = pyStr(arg(a, 0, 'key_name', 'key'));
    const vn = pyStr(arg(a, 1, 'value_name', 'value'));
    const out: Record<string, unknown> = {};
    for (const it of asList(v, 'items2dict')) {
      const d = asDict(it, 'items2dict');
      if (!(kn in d) || !(vn in d)) throw new TemplateError(`items2dict requires each element to have '${kn}' and '${vn}' keys`);
      out[pyStr(d[kn])] = d[vn];
    }
    return out;
  },
  combine(v, ...rest) {
    const a = splitArgs(rest);
    const recursive = truthy(a.kw['recursive'] ?? false);
    const listMerge = pyStr(a.kw['list_merge'] ?? 'replace');
    const dicts = [v, ...a.pos].flatMap((d) => (Array.isArray(plain(d)) ? (plain(d) as unknown[]) : [d]));
    return dicts.map((d) => asDict(d, 'combine')).reduce((acc, d) => combine(acc, d, recursive, listMerge), {});
  },
  map,
  select(v, ...rest) {
    const pick = testPicker(this, rest);
    return asList(v, 'select').filter(pick);
  },
  reject(v, ...rest) {
    const pick = testPicker(this, rest);
    return asList(v, 'reject').filter((x) => !pick(x));
  },
  selectattr(v, attr, ...rest) {
    const get = attrGetter(attr);
    const pick = testPicker(this, rest);
    return asList(v, 'selectattr').filter((x) => pick(get(x)));
  },
  rejectattr(v, attr, ...rest) {
    const get = attrGetter(attr);
    const pick = testPicker(this, rest);
    return asList(v, 'rejectattr').filter((x) => !pick(get(x)));
  },
  items: (v) => {
    const d = asDict(v, 'items');
    return Object.keys(d).map((k) => tuple([k, d[k]]));
  },
  zip(v, ...others) {
    const lists = [v, ...others].map((x) => asList(x, 'zip'));
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l[i])));
  },
  zip_longest(v, ...rest) {
    const a = splitArgs(rest);
    const lists = [v, ...a.pos].map((x) => asList(x, 'zip_longest'));
    const n = Math.max(...lists.map((l) => l.length));
    const fill = a.kw['fillvalue'] ?? null;
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  },
  product(v, ...others) {
    const lists = [v, ...others].map((x) => asList(x, 'product'));
    return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]).map((p) => tuple(p));
  },
  batch(v, size, fill) {
    const xs = asList(v, 'batch');
    const n = num(size);
    const out: unknown[][] = [];
    for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
    const lastRow = out[out.length - 1];
    if (fill !== undefined && lastRow) while (lastRow.length < n) lastRow.push(fill);
    return out;
  },
  slice(v, slices, fill) {
    const xs = asList(v, 'slice');
    const n = num(slices);
    const per = Math.floor(xs.length / n);
    const extra = xs.length % n;
    const out: unknown[][] = [];
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const start = offset + i * per;
      if (i < extra) offset++;
      const part = xs.slice(start, offset + (i + 1) * per);
      if (fill !== undefined && i >= extra) part.push(fill);
      out.push(part);
    }
    return out;
  },
  dictsort(v, ...rest) {
    const a = splitArgs(rest);
    const cs = truthy(arg(a, 0, 'case_sensitive', false));
    const by = pyStr(arg(a, 1, 'by', 'key'));
    const reverse = truthy(arg(a, 2, 'reverse', false));
    const d = asDict(v, 'dictsort');
    const key = sortKey(cs);
    const pairs = Object.keys(d).map((k) => tuple<unknown>([k, d[k]]));
    pairs.sort((x, y) => pyCompare(key(by === 'value' ? x[1] : x[0]), key(by === 'value' ? y[1] : y[0])) * (reverse ? -1 : 1));
    return pairs;
  },
  subelements(v, path, ...rest) {
    const skip = truthy(arg(splitArgs(rest), 0, 'skip_missing', false));
    const obj = plain(v);
    if (!Array.isArray(obj) && !isDict(obj)) throw new TemplateError('obj must be a list of dicts or a nested dict');
    const keys = Array.isArray(path) ? path.map((k) => plain(k)) : typeof path === 'string' ? path.split('.') : undefined;
    if (!keys) throw new TemplateError('subelements must be a list or a string');
    return (Array.isArray(obj) ? obj : Object.values(obj)).flatMap((element) => {
      let values: unknown = element;
      for (const key of keys) {
        const holder = plain(values);
        if (isDict(holder) || Array.isArray(holder)) {
          const found = isDict(holder) ? Object.prototype.hasOwnProperty.call(holder, String(key)) : typeof key === 'number' && key < holder.length;
          if (!found) {
            if (skip) return [];
            throw new TemplateError(`could not find ${pythonRepr(key)} key in iterated item ${pythonRepr(holder)}`);
          }
          values = (holder as Record<string, unknown>)[String(key)];
        } else throw new TemplateError(`the key ${pyStr(key)} should point to a dictionary, got '${pyStr(holder)}'`);
      }
      const list = plain(values);
      if (!Array.isArray(list)) throw new TemplateError(`the key ${pythonRepr(keys[keys.length - 1])} should point to a list, got ${pythonRepr(list)}`);
      return list.map((s) => tuple([element, s]));
    });
  },
};
