/** Value filters: default, mandatory, bool, int, float, string, ternary, type_debug … */
import { TemplateError } from '../../errors.js';
import { isDict, isFloat, makeFloat, TypedText, num, plain, pyStr, truthy, typeName, PyFloat } from '../pyvalue.js';
import { LenientUndef, Undef } from '../undefined.js';
import { arg, asList, splitArgs, type FilterFn } from './args.js';

function dflt(value: unknown, ...rest: unknown[]): unknown {
  const a = splitArgs(rest);
  const fallback = arg(a, 0, 'default_value', '');
  const boolean = truthy(arg(a, 1, 'boolean', false));
  if (value instanceof Undef) return fallback;
  if (boolean && !truthy(value)) return fallback;
  return value;
}

export function toBool(v: unknown): boolean {
  const p = plain(v);
  if (typeof p === 'boolean') return p;
  if (p === null || p === undefined) return false;
  const s = pyStr(p).toLowerCase().trim();
  return ['yes', 'on', '1', 'true', 't', 'y', '1.0'].includes(s);
}

function toInt(value: unknown, ...rest: unknown[]): number {
  const a = splitArgs(rest);
  const fallback = num(arg(a, 0, 'default', 0));
  const base = num(arg(a, 1, 'base', 10));
  const v = plain(value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || v instanceof PyFloat) return Math.trunc(num(v));
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    if (base !== 10) {
      const body = s.replace(base === 16 ? /^0x/i : base === 8 ? /^0o/i : base === 2 ? /^0b/i : /^$/, '');
      const n = parseInt(body, base);
      return /^[+-]?[0-9a-z]+$/i.test(body) && !Number.isNaN(n) ? n : fallback;
    }
    if (/^[+-]?\d+$/.test(s)) return parseInt(s, 10);
    // Jinja's int() falls back to float parsing: '3.7' | int → 3
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Math.trunc(parseFloat(s));
  }
  return fallback;
}

function toFloat(value: unknown, ...rest: unknown[]): unknown {
  const a = splitArgs(rest);
  const v = plain(value);
  if (typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean') return makeFloat(num(v));
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return makeFloat(parseFloat(s));
    if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return parseFloat(s.replace(/inf(inity)?/i, 'Infinity'));
  }
  return makeFloat(num(arg(a, 0, 'default', 0)));
}

function length(v: unknown): number {
  const p = plain(v);
  if (typeof p === 'string' || Array.isArray(p)) return p.length;
  if (isDict(p)) return Object.keys(p).length;
  throw new TemplateError(`object of type '${typeName(p)}' has no len()`);
}

function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || digits > 15 || digits < 0) return x;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const rest = exact.slice(exact.indexOf('.') + 1 + digits);
  if (!/^50*$/.test(rest)) return Number(x.toFixed(digits));
  // an exact tie: keep the even neighbour
  const down = Number((Math.sign(x) * Number(exact.slice(0, exact.length - rest.length))).toFixed(digits));
  const lastDigit = Number(exact[exact.length - rest.length - 1] === '.' ? exact[exact.length - rest.length - 2] : exact[exact.length - rest.length - 1]);
  return lastDigit % 2 === 0 ? down : Number((down + Math.sign(x) * 10 ** -digits).toFixed(digits));
}

export const coreFilters: Record<string, FilterFn> = {
  default: dflt,
  d: dflt,
  mandatory(value, ...rest) {
    if (value instanceof Undef) {
      const msg = arg(splitArgs(rest), 0, 'msg', null);
      // Ansible names the variable (`'name' `); Jinja's lenient Undefined has no name
      const name = value instanceof LenientUndef ? '' : `${value.message.replace(/ is undefined$/, '')} `;
      throw new TemplateError(msg !== null ? pyStr(msg) : `Mandatory variable ${name} not defined.`);
    }
    return value;
  },
  // Ansible's bool keeps None as None
  bool: (v) => (plain(v) === null ? null : toBool(v)),
  int: toInt,
  float: toFloat,
  string: (v) => pyStr(v),
  abs: (v) => (isFloat(v) ? makeFloat(Math.abs(num(v))) : Math.abs(num(v))),
  round(v, ...rest) {
    const a = splitArgs(rest);
    const precision = num(arg(a, 0, 'precision', 0));
    const method = String(arg(a, 1, 'method', 'common'));
    const f = 10 ** precision;
    const x = num(v) * f;
    if (method === 'ceil') return makeFloat(Math.ceil(x) / f);
    if (method === 'floor') return makeFloat(Math.floor(x) / f);
    // 'common' is Python's round(): the double's exact decimal value, ties to even; an int stays an int.
    const r = pyRound(num(v), precision);
    return isFloat(v) || precision > 0 ? makeFloat(r) : r;
  },
  ternary(v, ...rest) {
    const a = splitArgs(rest);
    const t = arg(a, 0, 'true_val', null);
    const f = arg(a, 1, 'false_val', null);
    if (a.pos.length > 2 || 'none_val' in a.kw) {
      const n = arg(a, 2, 'none_val', null);
      if (plain(v) === null) return n;
    }
    return truthy(v) ? t : f;
  },
  // a STRING_TYPE_FILTERS result is Ansible's NativeJinjaText (registerFilters passes it boxed)
  type_debug: (v) => (v instanceof TypedText ? v.pyType : typeName(plain(v))),
  length,
  count: length,
  list(v) {
    return [...asList(v, 'list')];
  },
  random() {
    throw new TemplateError('the random filter is not supported by kelpie');
  },
};

/** Jinja's global `dict(mapping_or_pairs, key=value …)`. */
export function dictGlobal(...args: unknown[]): Record<string, unknown> {
  const a = splitArgs(args);
  const p = plain(a.pos[0]);
  const base = isDict(p) ? { ...p } : Array.isArray(p) ? Object.fromEntries(p.map((e) => [pyStr((e as unknown[])[0]), (e as unknown[])[1]])) : {};
  return { ...base, ...a.kw };
}
