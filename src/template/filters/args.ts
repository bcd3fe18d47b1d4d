/** Argument helpers for filters, tests and lookups (nunjucks passes kwargs as a flagged trailing object). */
import { TemplateError } from '../../errors.js';
import { isDict, plain } from '../pyvalue.js';

export interface Args {
  pos: unknown[];
  kw: Record<string, unknown>;
}

export function splitArgs(args: unknown[]): Args {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.prototype.hasOwnProperty.call(last, '__keywords')) {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(last)) if (k !== '__keywords') kw[k] = v;
    return { pos: args.slice(0, -1).map(plain), kw };
  }
  return { pos: args.map(plain), kw: {} };
}

/** Python's TypeError for a keyword the function does not take. */
export function onlyKeywords(fn: string, a: Args, allowed: readonly string[]): void {
  for (const k of Object.keys(a.kw)) if (!allowed.includes(k)) throw new TemplateError(`${fn}() got an unexpected keyword argument '${k}'`);
}

/** Positional argument i, else keyword `name`, else the default. */
export function arg<T>(a: Args, i: number, name: string, dflt: T): unknown {
  if (i < a.pos.length) return a.pos[i];
  if (Object.prototype.hasOwnProperty.call(a.kw, name)) return a.kw[name];
  return dflt;
}

export function asList(v: unknown, filter: string): unknown[] {
  const p = plain(v);
  if (Array.isArray(p)) return p;
  if (typeof p === 'string') return [...p];
  if (isDict(p)) return Object.keys(p);
  if (p !== null && typeof p === 'object' && Symbol.iterator in p) return Array.from(p as Iterable<unknown>);
  throw new TemplateError(`${filter}: expected a list, got ${p === null ? 'None' : typeof p}`);
}

export function asDict(v: unknown, filter: string): Record<string, unknown> {
  const p = plain(v);
  if (isDict(p)) return p;
  throw new TemplateError(`${filter}: expected a dictionary, got ${p === null ? 'None' : Array.isArray(p) ? 'list' : typeof p}`);
}

export type FilterFn = (this: FilterContext, value: unknown, ...args: unknown[]) => unknown;
export interface FilterContext {
  env: {
    getFilter(name: string): (this: FilterContext, ...a: unknown[]) => unknown;
    getTest(name: string): (this: FilterContext, ...a: unknown[]) => unknown;
  };
  ctx: Record<string, unknown>;
}
