/**
 * Python's view of JS values: int vs float, truthiness, equality, ordering, str() and repr().
 *
 * A JS number that is an integer is a Python int; a non-integer number is a float. A float
 * whose value happens to be integral (`4 / 2`) is boxed as `PyFloat` so it prints `2.0`
 * like Python does. Everything else maps naturally: null is None, arrays are lists, plain
 * objects are dicts.
 */
import { TemplateError } from '../errors.js';
import { LenientUndef, Undef, printable } from './undefined.js';

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
}

/** A Python tuple: an array that prints as `(1, 2)`. Derived arrays are plain lists. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}
export function tuple<T>(items: T[]): PyTuple<T> {
  const t = new PyTuple<T>();
  t.push(...items);
  return t;
}

/**
 * A Python sequence that is neither a list nor a tuple (`range`, `dict_keys`, `dict_items`…):
 * it behaves as a list and prints as one; `type_debug` names its type. Derived arrays are lists.
 */
export class TypedList<T = unknown> extends Array<T> {
  declare readonly pyType: string;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}
export function typedList<T>(items: T[], pyType: string): TypedList<T> {
  const l = new TypedList<T>();
  l.push(...items);
  Object.defineProperty(l, 'pyType', { value: pyType, enumerable: false });
  return l;
}

/** What a Python built-in method bound to its object (`d.items` without a call) prints as. */
const METHOD = Symbol('kelpie.pyMethod');
type Method = ((...a: unknown[]) => unknown) & { [METHOD]?: string };
const addresses = new WeakMap<object, number>();
let nextAddress = 0x7f0a1b2c3d40;

/** A stand-in for the owner's id(): the same object prints the same address, as in Python. */
function addressOf(owner: unknown): string {
  if (typeof owner !== 'object' || owner === null) {
    let h = 0x811c9dc5;
    for (const ch of String(owner)) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    return (0x7f0000000000 + h * 16).toString(16);
  }
  let a = addresses.get(owner);
  if (a === undefined) addresses.set(owner, (a = nextAddress += 0x40));
  return a.toString(16);
}

/** fn as the method `name` of owner: repr `<built-in method name of str object at 0x…>`, type builtin_function_or_method. */
export function pyMethod<F extends (...a: never[]) => unknown>(fn: F, name: string, owner: unknown): F {
  (fn as unknown as Method)[METHOD] = `<built-in method ${name} of ${typeName(owner)} object at 0x${addressOf(owner)}>`;
  return fn;
}

/** nunjucks' SafeString (macro output, caller()) behaves as a str. */
interface SafeStringLike {
  val: string;
}
function isSafeString(v: unknown): v is SafeStringLike {
  return typeof v === 'object' && v !== null && typeof (v as { val?: unknown }).val === 'string' && v instanceof String;
}

/**
 * Text whose Python type is not plain `str`: a str subclass (Markup from `escape`, the
 * AnsibleUnsafeText a lookup returns) or bytes (`s.encode()`). It behaves as a str
 * everywhere (plain() unwraps it); only `type_debug` tells the difference.
 */
export class TypedText extends String {
  constructor(
    readonly val: string,
    readonly pyType: string,
  ) {
    super(val);
  }
}

/**
 * Text from one of Ansible's STRING_TYPE_FILTERS (`string`, `to_json`, `to_yaml` …): as
 * Ansible's NativeJinjaText, a playbook string that is just this value stays text even
 * when it reads as a list or dict.
 */
export class NativeText extends TypedText {
  constructor(val: string) {
    super(val, 'NativeJinjaText');
  }
}

/** Turns nunjucks' SafeString (and NativeText) into a plain string; leaves everything else. */
export function plain(v: unknown): unknown {
  return isSafeString(v) ? v.val : v;
}

export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
export function num(v: unknown): number {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number;
}
export function isDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof PyFloat || v instanceof Undef) return false;
  return !isSafeString(v) && !(v instanceof Date) && !(v instanceof RegExp);
}
export function isStr(v: unknown): v is string {
  return typeof v === 'string';
}

export function truthy(v: unknown): boolean {
  if (v instanceof LenientUndef) return false;
  if (v instanceof Undef) v.fail();
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (isSafeString(v)) return v.val.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (isNumber(v)) return isFloat(v) ? 'float' : 'int';
  if (typeof v === 'string' || isSafeString(v)) return 'str';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof TypedList) return v.pyType;
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'function') return (v as Method)[METHOD] ? 'builtin_function_or_method' : 'function';
  if (v instanceof LenientUndef) return 'Undefined';
  return 'dict';
}

export function pyEquals(a: unknown, b: unknown): boolean {
  a = printable(plain(a));
  b = printable(plain(b));
  // Jinja's lenient Undefined equals another of its kind only
  if (a instanceof LenientUndef || b instanceof LenientUndef) return a instanceof LenientUndef && b instanceof LenientUndef;
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) return num(a) === num(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  return ka.length === Object.keys(rb).length && ka.every((k) => k in rb && pyEquals((a as Record<string, unknown>)[k], rb[k]));
}

/** Python 3 ordering: numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  a = plain(a);
  b = plain(b);
  if (a instanceof Undef) a.fail();
  if (b instanceof Undef) b.fail();
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) return num(a) - num(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i], op);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new TemplateError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    // Python: 1e+16, 1e-05 (two-digit exponent at least)
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (Number.isInteger(n)) return (Object.is(n, -0) ? '-0' : String(n)) + '.0';
  return String(n);
}

function strRepr(s: string): string {
  // Python prefers single quotes unless the string holds one and no double quote.
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

/** Python repr(): how a value prints inside a container. */
export function pythonRepr(v: unknown): string {
  v = printable(plain(v));
  if (v instanceof LenientUndef) return 'Undefined';
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof PyTuple) return v.length === 1 ? `(${pythonRepr(v[0])},)` : '(' + v.map(pythonRepr).join(', ') + ')';
  if (Array.isArray(v)) return '[' + v.map(pythonRepr).join(', ') + ']';
  if (typeof v === 'function') return (v as Method)[METHOD] ?? '<function>';
  if (typeof v === 'object') {
    const parts = Object.keys(v).map((k) => `${strRepr(k)}: ${pythonRepr((v as Record<string, unknown>)[k])}`);
    return '{' + parts.join(', ') + '}';
  }
  return String(v);
}

/** Python str(): how a value prints on its own in a template. */
export function pyStr(v: unknown): string {
  v = plain(v);
  if (typeof v === 'string') return v;
  if (v instanceof LenientUndef) return '';
  return pythonRepr(v);
}
