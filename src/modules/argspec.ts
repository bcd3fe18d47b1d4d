/**
 * Ansible-style argument specs: the single source of truth for a module's arguments.
 * Types are inferred from the spec; values are coerced the way Ansible coerces them
 * ('yes' → true, '5' → 5, 'a,b' → ['a','b']); unknown keys are errors with a did-you-mean.
 */
import { didYouMean } from '../errors.js';

export type ArgType = 'str' | 'bool' | 'int' | 'float' | 'list' | 'dict' | 'path' | 'raw' | 'mode';

export interface ArgOption {
  type: ArgType;
  required?: boolean;
  default?: unknown;
  choices?: readonly (string | number | boolean)[];
  aliases?: readonly string[];
  /** Element type for lists. */
  elements?: ArgType;
  /** Value is secret: masked in output. */
  noLog?: boolean;
  description?: string;
}

export type ArgSpec = Record<string, ArgOption>;

type Scalar<T extends ArgType> = T extends 'str' | 'path'
  ? string
  : T extends 'bool'
    ? boolean
    : T extends 'int' | 'float'
      ? number
      : T extends 'dict'
        ? Record<string, unknown>
        : T extends 'mode'
          ? string | number
          : unknown;

type ValueOf<O extends ArgOption> = O extends { choices: readonly (infer C)[] }
  ? O['type'] extends 'list'
    ? C[]
    : C
  : O['type'] extends 'list'
    ? O extends { elements: infer E extends ArgType }
      ? Scalar<E>[]
      : unknown[]
    : Scalar<O['type']>;

export type ArgsOf<S extends ArgSpec> = {
  -readonly [K in keyof S]: S[K] extends { required: true } | { default: NonNullable<unknown> }
    ? ValueOf<S[K]>
    : ValueOf<S[K]> | undefined;
};

export interface ArgProblem {
  key: string;
  message: string;
  hint?: string;
}

// Ansible's boolean spellings (module_utils/parsing/convert_bool.py), compared lower-cased and trimmed.
const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f']);
export const BOOLEAN_SPELLINGS = [...TRUE, ...FALSE];

/** The value as a boolean when it is one of Ansible's boolean spellings; undefined for anything else. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const boxed = boxedNumber(v);
  if (boxed !== undefined) return toBool(boxed);
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return undefined;
}

/** A float that YAML or a template boxed so it prints as `1.0` (its valueOf is the number). */
function boxedNumber(v: unknown): number | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const n = (v as { valueOf(): unknown }).valueOf();
  return typeof n === 'number' ? n : undefined;
}

function coerce(v: unknown, type: ArgType, elements?: ArgType): { ok: true; value: unknown } | { ok: false; why: string } {
  const boxed = boxedNumber(v);
  if (boxed !== undefined) {
    if (type === 'str' || type === 'path') return { ok: true, value: String(v) };
    if (type === 'float' || type === 'raw') return { ok: true, value: type === 'raw' ? v : boxed };
  }
  switch (type) {
    case 'raw':
      return { ok: true, value: v };
    case 'str':
    case 'path':
      if (typeof v === 'string') return { ok: true, value: v };
      if (typeof v === 'number' || typeof v === 'boolean') return { ok: true, value: typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v) };
      return { ok: false, why: 'a string' };
    case 'mode':
      if (typeof v === 'string' || typeof v === 'number') return { ok: true, value: v };
      return { ok: false, why: "a mode such as '0644' or 'u+rwx'" };
    case 'bool': {
      const b = toBool(v);
      return b === undefined ? { ok: false, why: 'a boolean (yes/no/true/false)' } : { ok: true, value: b };
    }
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return { ok: true, value: v };
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return { ok: true, value: parseInt(v, 10) };
      return { ok: false, why: 'an integer' };
    case 'float':
      if (typeof v === 'number') return { ok: true, value: v };
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return { ok: true, value: Number(v) };
      return { ok: false, why: 'a number' };
    case 'dict':
      if (v && typeof v === 'object' && !Array.isArray(v)) return { ok: true, value: v };
      if (typeof v === 'string' && v.includes('=')) {
        const out: Record<string, string> = {};
        for (const part of v.split(/[\s,]+/).filter(Boolean)) {
          const i = part.indexOf('=');
          if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
        }
        return { ok: true, value: out };
      }
      return { ok: false, why: 'a mapping' };
    case 'list': {
      let list: unknown[];
      if (Array.isArray(v)) list = v;
      else if (typeof v === 'string') list = v === '' ? [] : v.split(',').map((s) => s.trim());
      else if (typeof v === 'number' || typeof v === 'boolean') list = [v];
      else return { ok: false, why: 'a list' };
      if (!elements) return { ok: true, value: list };
      const out: unknown[] = [];
      for (const item of list) {
        const c = coerce(item, elements);
        if (!c.ok) return { ok: false, why: `a list of ${c.why}` };
        out.push(c.value);
      }
      return { ok: true, value: out };
    }
  }
}

/** `'become' must be a boolean, got 'flase'` with a did-you-mean among the accepted spellings. */
export function notABoolean(name: string, v: unknown): { message: string; hint: string } {
  const shown = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  const near = typeof v === 'string' ? didYouMean(v.trim().toLowerCase(), ['true', 'false', 'yes', 'no']) : undefined;
  return { message: `'${name}' must be a boolean, got ${shown}`, hint: near ?? 'use true/false or yes/no' };
}

/** All names (canonical + aliases) a spec accepts. */
export function argNames(spec: ArgSpec): string[] {
  const names: string[] = [];
  for (const [k, o] of Object.entries(spec)) names.push(k, ...(o.aliases ?? []));
  return names;
}

const nameSets = new WeakMap<ArgSpec, ReadonlySet<string>>();

/**
 * argNames as a set, built once per spec: every task on every host validates its arguments,
 * and a module's spec (a constant) has up to ~50 names.
 */
export function argNameSet(spec: ArgSpec): ReadonlySet<string> {
  let names = nameSets.get(spec);
  if (!names) nameSets.set(spec, (names = new Set(argNames(spec))));
  return names;
}

/**
 * Ansible's failure for an argument a module's spec lacks (module_utils' argument spec
 * validation): the unsupported names, then the spec's names and, in parentheses, its aliases.
 */
export function unsupportedParametersMessage(module: string, spec: ArgSpec, unsupported: readonly string[]): string {
  const names = Object.keys(spec).sort();
  const aliases = Object.values(spec).flatMap((o) => o.aliases ?? []).sort();
  const supported = names.join(', ') + (aliases.length ? ` (${aliases.join(', ')})` : '');
  return `Unsupported parameters for (${module}) module: ${[...unsupported].sort().join(', ')}. Supported parameters include: ${supported}.`;
}

/** Static check: only the keys, before templating. */
export function checkArgKeys(spec: ArgSpec, keys: Iterable<string>): ArgProblem[] {
  const known = argNameSet(spec);
  const problems: ArgProblem[] = [];
  for (const k of keys) {
    if (!known.has(k)) {
      const hint = didYouMean(k, known);
      problems.push({ key: k, message: `unknown argument '${k}'`, ...(hint ? { hint } : {}) });
    }
  }
  return problems;
}

/**
 * What a task fails with when its arguments are wrong, for every module alike: Ansible
 * reports one problem, the first it finds (missing required arguments come first, named
 * together: "missing required arguments: a, b"), in its own words, such as "value of state
 * must be one of: absent, file, got: fiel". kelpie's did-you-mean hints stay out of the
 * message; the load-time warning for a literal argument carries them.
 */
export function argumentFailure(problems: readonly ArgProblem[]): string | undefined {
  return problems[0]?.message;
}

/** The arguments a spec knows (by name or alias), for modules that accept any others too. */
export function knownArgs(spec: ArgSpec, input: Record<string, unknown>): Record<string, unknown> {
  const names = new Set(argNames(spec));
  return Object.fromEntries(Object.entries(input).filter(([k]) => names.has(k)));
}

/** Validates and coerces templated arguments. */
export function validateArgs<S extends ArgSpec>(
  spec: S,
  input: Record<string, unknown>,
): { args: ArgsOf<S>; problems: ArgProblem[] } {
  const problems: ArgProblem[] = checkArgKeys(spec, Object.keys(input));
  const missing: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, opt] of Object.entries(spec)) {
    const given = [key, ...(opt.aliases ?? [])].filter((n) => n in input && input[n] !== undefined);
    if (given.length > 1) problems.push({ key, message: `arguments ${given.map((g) => `'${g}'`).join(' and ')} are aliases of each other; give one` });
    const name = given[0];
    let v: unknown = name === undefined ? undefined : input[name];
    if (v === null) v = undefined;
    if (v === undefined) {
      if (opt.required) {
        missing.push(key);
        continue;
      }
      // a fresh copy of a list or dict default, so no task can change the spec's own
      if (opt.default !== undefined) out[key] = typeof opt.default === 'object' ? structuredClone(opt.default) : opt.default;
      continue;
    }
    const c = coerce(v, opt.type, opt.elements);
    if (!c.ok) {
      problems.push({ key, message: `argument '${name}' must be ${c.why}, got ${JSON.stringify(v)}` });
      continue;
    }
    if (opt.choices) {
      // Ansible's wording (module_utils/common/parameters.py), which playbooks match on
      const choices = opt.choices.map((x) => String(x)).join(', ');
      const vals = Array.isArray(c.value) ? c.value : [c.value];
      const outside = vals.filter((val) => !opt.choices!.includes(val as string));
      const first = outside[0];
      if (first !== undefined) {
        const hint = typeof first === 'string' ? didYouMean(first, opt.choices.map(String)) : undefined;
        problems.push({
          key,
          message: Array.isArray(c.value)
            ? `value of ${name} must be one or more of: ${choices}. Got no match for: ${outside.map(String).join(', ')}`
            : `value of ${name} must be one of: ${choices}, got: ${String(first)}`,
          ...(hint ? { hint } : {}),
        });
      }
    }
    out[key] = c.value;
  }
  // Ansible checks required arguments before types and choices, and names them all at once
  if (missing.length) problems.unshift({ key: missing[0]!, message: `missing required arguments: ${[...missing].sort().join(', ')}` });
  return { args: out as ArgsOf<S>, problems };
}

/** Names of arguments whose values must never be shown. */
export function secretArgs(spec: ArgSpec): string[] {
  return Object.entries(spec)
    .filter(([, o]) => o.noLog)
    .flatMap(([k, o]) => [k, ...(o.aliases ?? [])]);
}
