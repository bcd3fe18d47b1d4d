/**
 * What the compiled Jinja statements call at render time (statements.ts emits the calls,
 * as `runtime.kelpieStmt.*`): tuple unpacking, namespace attributes, the loop helpers
 * (`loop.cycle`, `loop.changed`) and Jinja's macro calling convention.
 */
import { TemplateError } from '../errors.js';
import { splitArgs } from './filters/args.js';
import { isDict, pyEquals, tuple } from './pyvalue.js';
import { iterable } from './operators.js';
import { Undef } from './undefined.js';

/** Jinja's namespace(): the one object a `{% set ns.attr = … %}` may write to, from any scope. */
// a class, not a plain object: `{% set ns.x %}` may write only to a namespace (instanceof below)
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class Namespace {
  constructor(attrs: Record<string, unknown>) {
    Object.assign(this, attrs);
  }
}

export function namespace(...args: unknown[]): Namespace {
  const a = splitArgs(args);
  const attrs: Record<string, unknown> = {};
  for (const p of a.pos) {
    if (!isDict(p)) throw new TemplateError("'namespace' takes a mapping or keyword arguments");
    Object.assign(attrs, p);
  }
  return new Namespace({ ...attrs, ...a.kw });
}

export function setAttribute(obj: unknown, key: unknown, value: unknown): void {
  if (obj instanceof Undef) obj.fail();
  if (!(obj instanceof Namespace)) throw new TemplateError('cannot assign attribute on non-namespace object');
  (obj as unknown as Record<string, unknown>)[String(key)] = value;
}

/** `a, b = value`: exactly n items, or Python's words. */
export function unpack(value: unknown, n: number): unknown[] {
  const items = iterable(value) as unknown[];
  if (items.length > n) throw new TemplateError(`too many values to unpack (expected ${n})`);
  if (items.length < n) throw new TemplateError(`not enough values to unpack (expected ${n}, got ${items.length})`);
  return items;
}

/** `loop.cycle(a, b, …)` at iteration i. */
export function loopCycle(i: number): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const items = splitArgs(args).pos;
    if (items.length === 0) throw new TemplateError('no items for cycling given');
    return items[i % items.length];
  };
}

/** `loop.changed(value…)`: true the first time and whenever the values differ from the last call's. */
export function loopChanged(): (...args: unknown[]) => boolean {
  let last: unknown[] | undefined;
  return (...args: unknown[]) => {
    const now = splitArgs(args).pos;
    if (last !== undefined && pyEquals(now, last)) return false;
    last = now;
    return true;
  };
}

/** How a macro was declared, for binding a call's arguments (Jinja's Macro._invoke). */
export interface MacroSignature {
  name: string;
  params: string[];
  /** the body reads `varargs`, `kwargs` or `caller`: those are accepted */
  varargs: boolean;
  kwargs: boolean;
  caller: boolean;
}

type MacroBody = (values: unknown[], provided: boolean[], varargs: unknown[], kwargs: Record<string, unknown>, caller: unknown) => unknown;

/** A macro callable the Jinja way: extra arguments land in varargs/kwargs or fail in Jinja's words. */
export function macro(sig: MacroSignature, body: MacroBody): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    const last = args[args.length - 1];
    const hasKw = typeof last === 'object' && last !== null && Object.prototype.hasOwnProperty.call(last, '__keywords');
    const positional = hasKw ? args.slice(0, -1) : args;
    const values: unknown[] = sig.params.map(() => undefined);
    const provided = sig.params.map((_, i) => i < positional.length);
    positional.slice(0, sig.params.length).forEach((v, i) => (values[i] = v));
    const extra = positional.slice(sig.params.length);
    if (extra.length && !sig.varargs) throw new TemplateError(`macro '${sig.name}' takes not more than ${sig.params.length} argument(s)`);
    const kwargs: Record<string, unknown> = {};
    let caller: unknown = new Undef("'caller' is undefined");
    if (hasKw) {
      for (const [k, v] of Object.entries(last as Record<string, unknown>)) {
        if (k === '__keywords') continue;
        const i = sig.params.indexOf(k);
        if (i >= 0) {
          if (provided[i]) throw new TemplateError(`macro '${sig.name}' got multiple values for argument '${k}'`);
          values[i] = v;
          provided[i] = true;
        } else if (k === 'caller' && sig.caller) caller = v;
        else if (sig.kwargs) kwargs[k] = v;
        else throw new TemplateError(`macro '${sig.name}' takes no keyword argument '${k}'`);
      }
    }
    return body.call(this, values, provided, tuple(extra), kwargs, caller);
  };
}

/** `loop.previtem` on the first item, `loop.nextitem` on the last. */
export function noItem(which: 'previous' | 'next'): Undef {
  return new Undef(`there is no ${which} item`);
}

/** A parameter left out of a call (with no default) is undefined, as in Jinja. */
export function missingParameter(name: string): Undef {
  return new Undef(`parameter '${name}' was not provided`);
}
