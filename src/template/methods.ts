/**
 * Attribute and item access with Python semantics: string/list/dict methods
 * (`s.startswith('x')`, `d.items()`), negative indexes, slices, and Ansible's undefined
 * results (`'dict object' has no attribute 'bar'`) instead of JS `undefined`.
 */
import { TemplateError } from '../errors.js';
import { splitLines } from '../splitlines.js';
import { TypedText, isDict, num, plain, pyEquals, pyMethod, pyStr, pythonRepr, truthy, tuple, typedList, typeName } from './pyvalue.js';
import { LenientUndef, Undef } from './undefined.js';
import { pyFormat } from './format.js';

type Fn = (...args: unknown[]) => unknown;

function splitWs(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s.replace(/^\s+/, '');
  while (rest.length > 0) {
    if (max >= 0 && out.length === max) {
      out.push(rest);
      break;
    }
    const m = /\s+/.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

export function pySplit(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : num(maxsplit);
  if (sep === undefined || sep === null) return splitWs(s, max);
  const sp = String(sep);
  if (sp === '') throw new TemplateError('ValueError: empty separator');
  const parts = s.split(sp);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sp)];
}

function rsplit(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : num(maxsplit);
  if (max < 0) return pySplit(s, sep);
  if (sep === undefined || sep === null) {
    const rev = splitWs([...s].reverse().join(''), max);
    return rev.map((p) => [...p].reverse().join('')).reverse();
  }
  const sp = String(sep);
  const parts = s.split(sp);
  if (parts.length <= max + 1) return parts;
  const cut = parts.length - max;
  return [parts.slice(0, cut).join(sp), ...parts.slice(cut)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? null : String(chars);
  const strip = (c: string): boolean => (set === null ? /\s/.test(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && strip(s[a]!)) a++;
  if (right) while (b > a && strip(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function prefixTest(s: string, p: unknown, fn: (x: string) => boolean): boolean {
  return Array.isArray(p) ? p.some((x) => fn(String(x))) : fn(String(p));
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
}

const STRING_METHODS: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  startswith: (s, p) => prefixTest(s, p, (x) => s.startsWith(x)),
  endswith: (s, p) => prefixTest(s, p, (x) => s.endsWith(x)),
  split: (s, sep, max) => pySplit(s, sep, max),
  rsplit: (s, sep, max) => rsplit(s, sep, max),
  splitlines: (s, keep) => splitLines(s, truthy(keep)),
  strip: (s, c) => stripChars(s, c, true, true),
  lstrip: (s, c) => stripChars(s, c, true, false),
  rstrip: (s, c) => stripChars(s, c, false, true),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: (s) => titleCase(s),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s, a, b, count) => {
    const n = count === undefined ? -1 : num(count);
    const parts = s.split(String(a));
    if (n < 0 || parts.length - 1 <= n) return parts.join(pyStr(b));
    return parts.slice(0, n + 1).join(pyStr(b)) + String(a) + parts.slice(n + 1).join(String(a));
  },
  join: (s, items) => (typeof items === 'string' ? [...items] : (items as unknown[])).map((x) => pyStr(x)).join(s),
  format: (s, ...args) => pyFormat(s, args),
  find: (s, sub) => s.indexOf(String(sub)),
  rfind: (s, sub) => s.lastIndexOf(String(sub)),
  index: (s, sub) => {
    const i = s.indexOf(String(sub));
    if (i < 0) throw new TemplateError('substring not found');
    return i;
  },
  count: (s, sub) => (String(sub) === '' ? s.length + 1 : s.split(String(sub)).length - 1),
  isdigit: (s) => /^[0-9]+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9]+$/.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s, w) => (s.startsWith('-') ? '-' + s.slice(1).padStart(num(w) - 1, '0') : s.padStart(num(w), '0')),
  center: (s, w, fill) => center(s, num(w), fill === undefined ? ' ' : String(fill)),
  ljust: (s, w, f) => s.padEnd(num(w), f === undefined ? ' ' : String(f)),
  rjust: (s, w, f) => s.padStart(num(w), f === undefined ? ' ' : String(f)),
  partition: (s, sep) => {
    const i = s.indexOf(String(sep));
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), String(sep), s.slice(i + String(sep).length)]);
  },
  rpartition: (s, sep) => {
    const i = s.lastIndexOf(String(sep));
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), String(sep), s.slice(i + String(sep).length)]);
  },
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  casefold: (s) => s.toLowerCase(),
  expandtabs: (s, size) => {
    const n = size === undefined ? 8 : num(size);
    let col = 0;
    let out = '';
    for (const c of s) {
      if (c === '\t') {
        const pad = n > 0 ? n - (col % n) : 0;
        out += ' '.repeat(pad);
        col += pad;
      } else {
        out += c;
        col = c === '\n' || c === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
  encode: (s) => new TypedText(s, 'bytes'),
  decode: (s) => s,
};

export function center(s: string, width: number, fill = ' '): string {
  if (s.length >= width) return s;
  const total = width - s.length;
  // Python puts the odd extra space on the left when the width is odd... and the string length even.
  const left = Math.floor(total / 2) + (total & width & 1);
  return fill.repeat(left) + s + fill.repeat(total - left);
}

const LIST_METHODS: Record<string, (l: unknown[], ...a: unknown[]) => unknown> = {
  index: (l, x) => {
    const i = l.findIndex((y) => pyEquals(y, x));
    if (i < 0) throw new TemplateError(`${pythonRepr(x)} is not in list`);
    return i;
  },
  count: (l, x) => l.filter((y) => pyEquals(y, x)).length,
  append: (l, x) => {
    l.push(x);
    return null;
  },
  extend: (l, x) => {
    l.push(...(x as unknown[]));
    return null;
  },
  insert: (l, i, x) => {
    l.splice(num(i), 0, x);
    return null;
  },
  pop: (l, i) => (i === undefined ? l.pop() : l.splice(normIndex(num(i), l.length), 1)[0]),
  copy: (l) => [...l],
};

const DICT_METHODS: Record<string, (d: Record<string, unknown>, ...a: unknown[]) => unknown> = {
  items: (d) => typedList(Object.keys(d).map((k) => tuple([k, d[k]])), 'dict_items'),
  keys: (d) => typedList(Object.keys(d), 'dict_keys'),
  values: (d) => typedList(Object.keys(d).map((k) => d[k]), 'dict_values'),
  get: (d, k, def) => (Object.prototype.hasOwnProperty.call(d, String(k)) ? d[String(k)] : def === undefined ? null : def),
  copy: (d) => ({ ...d }),
  update: (d, o) => {
    Object.assign(d, o);
    return null;
  },
  setdefault: (d, k, def) => {
    const key = String(k);
    if (!(key in d)) d[key] = def === undefined ? null : def;
    return d[key];
  },
  clear: (d) => {
    for (const k of Object.keys(d)) Reflect.deleteProperty(d, k);
    return null;
  },
  fromkeys: (_d, keys, value) => Object.fromEntries([...(keys as Iterable<unknown>)].map((k) => [pyStr(k), value === undefined ? null : value])),
  popitem: (d) => {
    const k = Object.keys(d).pop();
    if (k === undefined) throw new TemplateError("KeyError: 'popitem(): dictionary is empty'");
    const v = d[k];
    Reflect.deleteProperty(d, k);
    return tuple([k, v]);
  },
  pop: (d, k, def) => {
    const key = String(k);
    if (!(key in d)) return def;
    const v = d[key];
    delete d[key];
    return v;
  },
};

function normIndex(i: number, len: number): number {
  return i < 0 ? i + len : i;
}

function bind(name: string, fn: (self: never, ...a: unknown[]) => unknown, self: unknown, keepKwargs = false): Fn {
  return pyMethod((...args: unknown[]) => fn(self as never, ...(keepKwargs ? args : stripKwargs(args))), name, self);
}

/** nunjucks passes keyword arguments as a trailing object flagged `__keywords`. */
export function stripKwargs(args: unknown[]): unknown[] {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && '__keywords' in last) return args.slice(0, -1);
  return args;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** `obj.key` / `obj[key]` in a template. */
export function memberLookup(objIn: unknown, keyIn: unknown): unknown {
  const obj = plain(objIn);
  // chained undefined, like AnsibleUndefined; Jinja's lenient one has no attributes
  if (obj instanceof Undef) return obj instanceof LenientUndef ? obj.fail() : obj;
  const key = keyIn instanceof Undef ? keyIn.fail() : plain(keyIn);
  if (typeof obj === 'string') {
    if (typeof key === 'number') {
      const ch = obj[normIndex(key, obj.length)];
      return ch ?? new Undef(`str object has no element ${key}`);
    }
    const m = STRING_METHODS[String(key)];
    if (m) return bind(String(key), m, obj, key === 'format');
  } else if (Array.isArray(obj)) {
    if (typeof key === 'number') {
      const i = normIndex(key, obj.length);
      return i >= 0 && i < obj.length ? obj[i] : new Undef(`list object has no element ${key}`);
    }
    const m = LIST_METHODS[String(key)];
    if (m) return bind(String(key), m, obj);
  } else if (isDict(obj)) {
    const k = String(key);
    if (hasOwn(obj, k) || (k in obj && !(k in Object.prototype))) {
      const v = obj[k];
      if (v !== undefined) return v;
    }
    const m = DICT_METHODS[k];
    if (m) return bind(k, m, obj);
    if (typeof (obj as Record<string, unknown>)[k] === 'function' && !(k in Object.prototype)) return (...a: unknown[]) => (obj as Record<string, Fn>)[k]!(...stripKwargs(a));
    return new Undef(`'dict object' has no attribute ${typeof key === 'string' ? `'${key}'` : pyStr(key)}`);
  } else if (obj === null || obj === undefined) {
    return new Undef(`'None' has no attribute '${String(key)}'`);
  }
  return new Undef(`'${typeName(obj)} object' has no attribute '${String(key)}'`);
}

/**
 * `obj.name`: Jinja tries the attribute before the item, so a dict's own methods win over
 * its keys (`d.items` is the method even where d has a key 'items'; `d['items']` is the key).
 */
export function attributeLookup(objIn: unknown, keyIn: unknown): unknown {
  const obj = plain(objIn);
  const m = typeof keyIn === 'string' && Object.prototype.hasOwnProperty.call(DICT_METHODS, keyIn) ? DICT_METHODS[keyIn] : undefined;
  // a plain dict (or a view of one): not a namespace() or another object of kelpie's
  if (m && isDict(obj) && Object.getPrototypeOf(obj) === Object.prototype) return bind(keyIn as string, m, obj);
  return memberLookup(objIn, keyIn);
}

/** Python slicing `x[a:b:c]` for lists and strings. */
export function sliceLookup(objIn: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const obj = plain(objIn);
  if (obj instanceof Undef) obj.fail();
  const isString = typeof obj === 'string';
  const seq: unknown[] = isString ? [...obj] : Array.isArray(obj) ? obj : [];
  const len = seq.length;
  const st = step === null || step === undefined ? 1 : num(step);
  if (st === 0) throw new TemplateError('ValueError: slice step cannot be zero');
  const clamp = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    let n = num(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = clamp(start, 0, 0, len);
    const b = clamp(stop, len, 0, len);
    for (let i = a; i < b; i += st) out.push(seq[i]);
  } else {
    const a = clamp(start, len - 1, -1, len - 1);
    const b = clamp(stop, -1, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(seq[i]);
  }
  return isString ? out.join('') : out;
}
