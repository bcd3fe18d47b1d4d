/**
 * Variable lookup for one render: the caller's vars object is read in place (never
 * copied), and values are templated lazily when a template reads them, as in Ansible:
 * `a: "{{ b }}"` renders `b` only when `a` is used. Objects and arrays are wrapped in
 * read-through proxies so strings deep inside (hostvars of thousands of hosts) are
 * rendered only if touched. Nested renders share one stack to detect cycles.
 */
import { TemplateError } from '../errors.js';
import { PyFloat, plain } from './pyvalue.js';
import { Undef, undefinedVar } from './undefined.js';

export const SCOPE_KEY = '__kelpie_scope__';
const RAW = Symbol('kelpie.raw');
const unsafeObjects = new WeakSet<object>();

/** Values from hosts (registered results, facts) are data: never render strings inside them. */
export function markUnsafe<T extends object>(value: T): T {
  unsafeObjects.add(value);
  return value;
}

/**
 * A string from a host, stored where a variable lives (a fact, a set_fact result, a loop
 * item). A primitive string cannot carry a mark, so it travels boxed; a render reads the
 * text and never templates it. Deliberately no toString(): `String(box)` must not quietly
 * turn host data back into a template.
 */
export class UnsafeText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

/** The storage form of a host-derived value: strings boxed, objects marked. */
export function asUnsafe(value: unknown): unknown {
  if (typeof value === 'string') return new UnsafeText(value);
  if (value && typeof value === 'object' && !(value instanceof UnsafeText)) markUnsafe(value);
  return value;
}

export function isUnsafe(value: unknown): boolean {
  return value instanceof UnsafeText || (typeof value === 'object' && value !== null && unsafeObjects.has(value));
}

/** A variable layer whose every value is host data (a registered result spread by `until`). */
export function unsafeLayer(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = asUnsafe(v);
  return out;
}

/** Plain text of a stored value: the box opened, without rendering anything. */
export function unboxed(value: unknown): unknown {
  return value instanceof UnsafeText ? value.text : value;
}

export function isTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

/** Renders a string found in vars to its native value, within the same scope. */
export type NestedRenderer = (text: string, scope: Scope) => unknown;

function hasVar(vars: Record<string, unknown>, name: string): boolean {
  if (!(name in vars)) return false;
  if (!(name in Object.prototype)) return true;
  // `constructor`, `toString`… only count when some layer of vars defines them itself.
  for (let o: object | null = vars; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, name)) return true;
  }
  return false;
}

export class Scope {
  /**
   * Set whenever this scope hands out host data (or a lookup's result): a render that
   * read any of it produced host data too, as Ansible's AnsibleContext.unsafe records.
   */
  tainted = false;
  private readonly cache = new Map<string, unknown>();
  private readonly unsafeNames = new Set<string>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly active: { label: string; text: string }[] = [];
  /** Counts the separate templates rendered with this scope (a task's argument strings). */
  private renders = 0;

  constructor(
    readonly vars: Record<string, unknown>,
    private readonly renderNested: NestedRenderer,
  ) {}

  /** The next string is a template of its own: what the last one mutated is forgotten. */
  nextRender(): void {
    this.renders++;
  }

  /** A top-level variable as it was given, before any templating: found or not. */
  raw(name: string): { found: boolean; value?: unknown } {
    return hasVar(this.vars, name) ? { found: true, value: this.vars[name] } : { found: false };
  }

  /** The value of a top-level variable, or undefined when there is none. */
  get(name: string): unknown {
    if (this.cache.has(name)) {
      if (this.unsafeNames.has(name)) this.tainted = true;
      return this.cache.get(name);
    }
    if (!hasVar(this.vars, name)) return undefined;
    const outer = this.tainted;
    this.tainted = false;
    const v = this.lazy(this.vars[name], name);
    if (this.tainted) this.unsafeNames.add(name);
    this.tainted ||= outer;
    this.cache.set(name, v);
    return v;
  }

  lazy(raw: unknown, label: string): unknown {
    if (raw instanceof UnsafeText) {
      this.tainted = true;
      return raw.text;
    }
    if (typeof raw === 'string') return isTemplate(raw) ? this.renderVar(raw, label) : raw;
    if (typeof raw !== 'object' || raw === null || raw instanceof PyFloat || raw instanceof Undef) return raw;
    if (unsafeObjects.has(raw)) {
      this.tainted = true;
      return raw;
    }
    if (isProxied(raw)) return raw;
    let p = this.proxies.get(raw);
    if (!p) {
      p = this.makeProxy(raw, label);
      this.proxies.set(raw, p);
    }
    return p;
  }

  private renderVar(text: string, label: string): unknown {
    if (this.active.some((a) => a.text === text)) {
      const chain = [...this.active.map((a) => a.label), label].join(' -> ');
      // Ansible's words, naming the string whose rendering came back here, then the
      // variables that make the loop
      const recursing = this.active[this.active.length - 1]?.text ?? text;
      throw new TemplateError(`recursive loop detected in template string: ${recursing} (${chain})`);
    }
    this.active.push({ label, text });
    try {
      return this.renderNested(text, this);
    } finally {
      this.active.pop();
    }
  }

  private makeProxy(target: object, label: string): object {
    // The proxy's own target is a blank stand-in so that frozen vars objects do not trip
    // the Proxy invariants when we hand out rendered values instead of the raw ones.
    const stand = Array.isArray(target) ? [] : {};
    const isList = Array.isArray(target);
    /**
     * Ansible templates a variable into a fresh copy for every template, so a template may
     * mutate it (`l.append(x)`, `d.update(…)`, `l.pop()`) without touching the variable. The
     * first write detaches the proxy: from then on it reads and writes its own copy of the
     * rendered values, for the rest of this render.
     */
    let own: Record<string | symbol, unknown> | undefined;
    let ownRender = 0;
    const mine = (): Record<string | symbol, unknown> | undefined => (ownRender === this.renders ? own : undefined);
    const read = (k: string | symbol): unknown => {
      const copy = mine();
      if (copy) return Reflect.get(copy, k);
      const v = Reflect.get(target, k);
      return typeof k === 'symbol' || (isList && k === 'length') ? v : this.lazy(v, `${label}.${k}`);
    };
    const detach = (): Record<string | symbol, unknown> => {
      if (mine()) return own!;
      own = undefined;
      const copy = (isList ? [] : {}) as Record<string | symbol, unknown>;
      for (const k of Reflect.ownKeys(target)) if (!(isList && k === 'length')) copy[k] = read(k);
      if (isList) copy['length'] = (target as unknown[]).length;
      ownRender = this.renders;
      return (own = copy);
    };
    const source = (): object => mine() ?? target;
    return new Proxy(stand, {
      get: (_t, k) => (k === RAW ? target : read(k)),
      has: (_t, k) => k === RAW || Reflect.has(source(), k),
      ownKeys: () => Reflect.ownKeys(source()),
      getOwnPropertyDescriptor: (_t, k) => {
        const d = Reflect.getOwnPropertyDescriptor(source(), k);
        if (!d) return undefined;
        if (isList && k === 'length') return { value: (source() as unknown[]).length, writable: true, enumerable: false, configurable: false };
        return { value: read(k), writable: true, enumerable: d.enumerable ?? true, configurable: true };
      },
      getPrototypeOf: () => Object.getPrototypeOf(target) as object | null,
      set: (_t, k, v) => Reflect.set(detach(), k, v),
      deleteProperty: (_t, k) => Reflect.deleteProperty(detach(), k),
    });
  }
}

function isProxied(v: object): boolean {
  return (v as { [RAW]?: unknown })[RAW] !== undefined;
}

/** Plain JS data out of a template result: proxies read through, floats unboxed. */
export function materialize(v: unknown, depth = 0): unknown {
  v = unboxed(plain(v));
  if (v instanceof Undef) v.fail();
  if (v instanceof PyFloat) return v.value;
  if (typeof v !== 'object' || v === null) return v;
  if (depth > 200) throw new TemplateError('value nested too deeply (recursive structure?)');
  if (unsafeObjects.has(v) && !isProxied(v)) return v;
  if (Array.isArray(v)) return v.map((x) => materialize(x, depth + 1));
  if (!isPlainish(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = materialize((v as Record<string, unknown>)[k], depth + 1);
  return out;
}

function isPlainish(v: object): boolean {
  const p = Object.getPrototypeOf(v) as object | null;
  return p === null || p === Object.prototype || isProxied(v);
}

interface FrameLike {
  lookup(name: string): unknown;
}
interface ContextLike {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

const LITERALS: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, none: null };

/** Replaces nunjucks' runtime.contextOrFrameLookup: locals, then vars, then globals. */
export function lookupName(context: ContextLike, frame: FrameLike, name: string): unknown {
  const local = frame.lookup(name);
  if (local !== undefined) return local;
  const ctx = context.ctx;
  if (Object.prototype.hasOwnProperty.call(ctx, name)) return ctx[name];
  const scope = ctx[SCOPE_KEY];
  if (scope instanceof Scope) {
    const v = scope.get(name);
    if (v !== undefined) return v;
  }
  if (Object.prototype.hasOwnProperty.call(LITERALS, name)) return LITERALS[name];
  const globals = context.env.globals;
  if (Object.prototype.hasOwnProperty.call(globals, name)) return globals[name];
  return undefinedVar(name);
}
