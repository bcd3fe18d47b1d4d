/** Jinja's operators with Python semantics; the patched compiler calls these. */
import { TemplateError } from '../errors.js';
import { percentFormat } from './format.js';
import { PyTuple, tuple, isDict, isFloat, isNumber, makeFloat, num, plain, pyCompare, pyEquals, pyStr, truthy, typeName } from './pyvalue.js';
import { LenientUndef, Undef, printable } from './undefined.js';

function operand(v: unknown): unknown {
  const p = plain(v);
  if (p instanceof Undef) p.fail();
  return p;
}

function numeric(v: unknown): boolean {
  return isNumber(v) || typeof v === 'boolean';
}

function unsupported(op: string, a: unknown, b: unknown): never {
  throw new TemplateError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Result of a numeric op: float if either side was a float (or the op always yields one). */
function arith(a: unknown, b: unknown, r: number, forceFloat = false): number | ReturnType<typeof makeFloat> {
  return forceFloat || isFloat(a) || isFloat(b) ? makeFloat(r) : r;
}

export function add(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (numeric(a) && numeric(b)) return arith(a, b, num(a) + num(b));
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string') throw new TemplateError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) throw new TemplateError(`can only concatenate list (not "${typeName(b)}") to list`);
  return unsupported('+', a, b);
}

export function sub(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (numeric(a) && numeric(b)) return arith(a, b, num(a) - num(b));
  return unsupported('-', a, b);
}

export function mul(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (numeric(a) && numeric(b)) return arith(a, b, num(a) * num(b));
  const repeat = (s: unknown, n: unknown): unknown => {
    const k = Math.max(0, num(n));
    if (typeof s === 'string') return s.repeat(k);
    return Array.from({ length: k }, () => s as unknown[]).flat();
  };
  if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number' && Number.isInteger(b)) return repeat(a, b);
  if ((typeof b === 'string' || Array.isArray(b)) && typeof a === 'number' && Number.isInteger(a)) return repeat(b, a);
  return unsupported('*', a, b);
}

function zeroCheck(b: unknown, what: string): void {
  if (num(b) === 0) throw new TemplateError(`ZeroDivisionError: ${what}`);
}

export function div(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (!numeric(a) || !numeric(b)) return unsupported('/', a, b);
  zeroCheck(b, isFloat(a) || isFloat(b) ? 'float division by zero' : 'division by zero');
  return makeFloat(num(a) / num(b));
}

export function floordiv(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (!numeric(a) || !numeric(b)) return unsupported('//', a, b);
  zeroCheck(b, isFloat(a) || isFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
  return arith(a, b, Math.floor(num(a) / num(b)));
}

export function mod(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  // only a tuple is a list of arguments: `'%s' % [1, 2]` formats the list itself
  if (typeof a === 'string') return percentFormat(a, b instanceof PyTuple || isDict(b) ? b : [b]);
  if (!numeric(a) || !numeric(b)) return unsupported('%', a, b);
  zeroCheck(b, isFloat(a) || isFloat(b) ? 'float modulo' : 'integer modulo by zero');
  const n = num(a);
  const d = num(b);
  return arith(a, b, ((n % d) + d) % d);
}

export function pow(x: unknown, y: unknown): unknown {
  const a = operand(x);
  const b = operand(y);
  if (!numeric(a) || !numeric(b)) return unsupported('**', a, b);
  return arith(a, b, Math.pow(num(a), num(b)), num(b) < 0);
}

export function neg(x: unknown): unknown {
  const a = operand(x);
  if (!numeric(a)) throw new TemplateError(`bad operand type for unary -: '${typeName(a)}'`);
  return arith(a, 0, -num(a));
}

export function pos(x: unknown): unknown {
  const a = operand(x);
  if (!numeric(a)) throw new TemplateError(`bad operand type for unary +: '${typeName(a)}'`);
  return a;
}

export function concat(a: unknown, b: unknown): string {
  return pyStr(printable(plain(a))) + pyStr(printable(plain(b)));
}

export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEquals(a, b);
    case '!=':
    case '!==':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    default:
      throw new TemplateError(`unknown comparison operator ${op}`);
  }
}

export function inOperator(x: unknown, y: unknown): boolean {
  const needle = printable(plain(x));
  const hay = printable(plain(y));
  if (hay instanceof LenientUndef) return false; // it iterates as empty
  if (typeof hay === 'string') {
    if (typeof needle !== 'string') throw new TemplateError(`'in <string>' requires string as left operand, not ${typeName(needle)}`);
    return hay.includes(needle);
  }
  if (Array.isArray(hay)) return hay.some((v) => pyEquals(v, needle));
  if (isDict(hay)) return Object.prototype.hasOwnProperty.call(hay, pyStr(needle)) && (typeof needle === 'string' || isNumber(needle));
  throw new TemplateError(`argument of type '${typeName(hay)}' is not iterable`);
}

export function not(v: unknown): boolean {
  return !truthy(v);
}

/** Jinja iterates strings by character and dicts by key; undefined is an error. */
export function iterable(v: unknown): unknown {
  const p = plain(v);
  if (p instanceof LenientUndef) return [];
  if (p instanceof Undef) p.fail();
  if (typeof p === 'string') return [...p];
  if (Array.isArray(p)) return p;
  if (p !== null && typeof p === 'object') {
    if (Symbol.iterator in p) return Array.from(p as Iterable<unknown>);
    return Object.keys(p);
  }
  if (p === null || p === undefined || typeof p === 'number' || typeof p === 'boolean') {
    throw new TemplateError(`'${typeName(p)}' object is not iterable`);
  }
  return p;
}

export function floatLiteral(text: string): unknown {
  return makeFloat(parseFloat(text));
}

export { truthy, tuple };
export { condExprUndefined } from './undefined.js';
