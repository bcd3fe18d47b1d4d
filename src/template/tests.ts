/** Jinja and Ansible tests (`x is defined`, `r is changed`, `v is version('2.0', '>=')` …). */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type nunjucks from 'nunjucks';
import { TemplateError } from '../errors.js';
import { compareVersions } from './version.js';
import { pyRegex } from './filters/strings.js';
import { onlyKeywords, splitArgs } from './filters/args.js';
import { inOperator } from './operators.js';
import { isDict, isFloat, isInt, isNumber, num, plain, pyCompare, pyEquals, pyStr, truthy } from './pyvalue.js';
import { LenientUndef, Undef } from './undefined.js';

type TestFn = (value: unknown, ...args: unknown[]) => boolean;

function result(v: unknown, name: string): Record<string, unknown> {
  const p = plain(v);
  if (!isDict(p)) throw new TemplateError(`The '${name}' test expects a dictionary`);
  return p;
}
function anyResult(r: Record<string, unknown>, pred: (x: Record<string, unknown>) => boolean): boolean {
  if (pred(r)) return true;
  const results = r['results'];
  return Array.isArray(results) && results.some((x) => isDict(x) && pred(x));
}
const failed = (v: unknown): boolean => truthy(result(v, 'failed')['failed'] ?? false);
const changed = (v: unknown): boolean => anyResult(result(v, 'changed'), (x) => truthy(x['changed'] ?? false));
const skipped = (v: unknown): boolean => truthy(result(v, 'skipped')['skipped'] ?? false);

function regexTest(mode: 'match' | 'search' | 'full', name?: string): TestFn {
  return (value, pattern, ...rest) => {
    const a = splitArgs(rest);
    if (name) onlyKeywords(name, a, ['value', 'pattern', 'ignorecase', 'multiline']);
    const flags = (truthy(a.kw['ignorecase'] ?? a.pos[0] ?? false) ? 'i' : '') + (truthy(a.kw['multiline'] ?? a.pos[1] ?? false) ? 'm' : '');
    const src = pyStr(pattern);
    const re = pyRegex(mode === 'match' ? `^(?:${src})` : mode === 'full' ? `^(?:${src})$` : src, flags);
    return re.test(pyStr(value));
  };
}

const compareOp = (op: string): TestFn => (a, b) => {
  switch (op) {
    case 'eq':
      return pyEquals(a, b);
    case 'ne':
      return !pyEquals(a, b);
    case 'lt':
      return pyCompare(a, b) < 0;
    case 'le':
      return pyCompare(a, b) <= 0;
    case 'gt':
      return pyCompare(a, b) > 0;
    default:
      return pyCompare(a, b) >= 0;
  }
};

function version(value: unknown, ...rest: unknown[]): boolean {
  const a = splitArgs(rest);
  const other = a.pos[0] ?? a.kw['version'];
  const op = pyStr(a.pos[1] ?? a.kw['operator'] ?? 'eq');
  const strict = truthy(a.pos[2] ?? a.kw['strict'] ?? false);
  const type = pyStr(a.kw['version_type'] ?? (strict ? 'strict' : 'loose'));
  const c = compareVersions(pyStr(value), pyStr(other), type);
  const table: Record<string, (n: number) => boolean> = {
    '<': (n) => n < 0, lt: (n) => n < 0, '<=': (n) => n <= 0, le: (n) => n <= 0,
    '>': (n) => n > 0, gt: (n) => n > 0, '>=': (n) => n >= 0, ge: (n) => n >= 0,
    '==': (n) => n === 0, '=': (n) => n === 0, eq: (n) => n === 0, '!=': (n) => n !== 0, '<>': (n) => n !== 0, ne: (n) => n !== 0,
  };
  const f = table[op];
  if (!f) throw new TemplateError(`Invalid operator type (${op}). Must be one of '==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'`);
  return f(c);
}

const isSeq = (v: unknown): boolean => Array.isArray(v) || typeof v === 'string' || isDict(v);

export const allTests: Record<string, TestFn> = {
  defined: (v) => !(v instanceof Undef),
  undefined: (v) => v instanceof Undef,
  none: (v) => v === null || v === undefined,
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  string: (v) => typeof v === 'string',
  number: (v) => isNumber(v),
  integer: (v) => isInt(v),
  float: (v) => isFloat(v),
  mapping: (v) => isDict(v),
  sequence: isSeq,
  iterable: isSeq,
  callable: (v) => typeof v === 'function',
  sameas: (a, b) => a === b,
  equalto: compareOp('eq'),
  eq: compareOp('eq'),
  '==': compareOp('eq'),
  ne: compareOp('ne'),
  '!=': compareOp('ne'),
  lt: compareOp('lt'),
  '<': compareOp('lt'),
  le: compareOp('le'),
  '<=': compareOp('le'),
  gt: compareOp('gt'),
  greaterthan: compareOp('gt'),
  '>': compareOp('gt'),
  ge: compareOp('ge'),
  '>=': compareOp('ge'),
  lessthan: compareOp('lt'),
  in: (v, seq) => inOperator(v, seq),
  contains: (seq, v) => inOperator(v, seq),
  divisibleby: (v, n) => num(v) % num(n) === 0,
  even: (v) => num(v) % 2 === 0,
  odd: (v) => Math.abs(num(v) % 2) === 1,
  lower: (v) => pyStr(v) === pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v) === pyStr(v).toUpperCase(),
  match: regexTest('match', 'match'),
  search: regexTest('search', 'search'),
  regex: (v, p, ...rest) => {
    const a = splitArgs(rest);
    onlyKeywords('regex', a, ['value', 'pattern', 'ignorecase', 'multiline', 'match_type']);
    const kind = pyStr(a.kw['match_type'] ?? 'search');
    return regexTest(kind === 'match' ? 'match' : kind === 'fullmatch' ? 'full' : 'search')(v, p, ...rest);
  },
  version,
  version_compare: version,
  subset: (a, b) => (plain(a) as unknown[]).every((x) => (plain(b) as unknown[]).some((y) => pyEquals(x, y))),
  superset: (a, b) => (plain(b) as unknown[]).every((x) => (plain(a) as unknown[]).some((y) => pyEquals(x, y))),
  changed,
  change: changed,
  failed,
  failure: failed,
  succeeded: (v) => !failed(v),
  success: (v) => !failed(v),
  successful: (v) => !failed(v),
  skipped,
  skip: skipped,
  unreachable: (v) => truthy(result(v, 'unreachable')['unreachable'] ?? false),
  reachable: (v) => !truthy(result(v, 'reachable')['unreachable'] ?? false),
  finished: (v) => truthy(result(v, 'finished')['finished'] ?? 1),
  started: (v) => truthy(result(v, 'started')['started'] ?? 1),
  nan: (v) => typeof plain(v) === 'number' && Number.isNaN(plain(v)),
  file: (v) => existsSync(pyStr(v)) && statSync(pyStr(v)).isFile(),
  directory: (v) => existsSync(pyStr(v)) && statSync(pyStr(v)).isDirectory(),
  exists: (v) => existsSync(pyStr(v)),
  link: (v) => {
    try {
      return lstatSync(pyStr(v)).isSymbolicLink();
    } catch {
      return false;
    }
  },
  abs: (v) => isAbsolute(pyStr(v)),
  any: (v) => (plain(v) as unknown[]).some(truthy),
  all: (v) => (plain(v) as unknown[]).every(truthy),
};

/** The result tests say a missing result is not a dictionary, as Ansible's do. */
const UNDEF_OK = new Set(['defined', 'undefined', 'changed', 'change', 'failed', 'failure', 'succeeded', 'success', 'successful', 'skipped', 'skip', 'unreachable', 'reachable', 'finished', 'started']);

/** Tests that answer for Jinja's lenient Undefined as Python does (not a str, not None, equal to nothing else …). */
const LENIENT_OK = new Set(['none', 'boolean', 'true', 'false', 'string', 'number', 'integer', 'float', 'mapping', 'callable', 'truthy', 'falsy', 'eq', 'equalto', '==', 'ne', '!=']);

export function registerTests(env: nunjucks.Environment): void {
  for (const [name, fn] of Object.entries(allTests)) {
    const guarded = UNDEF_OK.has(name)
      ? fn
      : (value: unknown, ...args: unknown[]): boolean => {
          if (value instanceof Undef && !(value instanceof LenientUndef && LENIENT_OK.has(name))) value.fail();
          for (const a of args) if (a instanceof Undef) a.fail();
          return fn(plain(value), ...args);
        };
    const e = env as unknown as { addTest(name: string, fn: TestFn): void };
    e.addTest(name, guarded);
    e.addTest(`ansible.builtin.${name}`, guarded);
  }
}
