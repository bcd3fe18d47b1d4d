/**
 * Ansible's undefined value. A missing variable or attribute becomes an `Undef` instead of
 * JS `undefined`, so `is defined`, `default()` and `mandatory` can inspect it, while any
 * other use (printing, arithmetic, comparison, iteration, truthiness) throws a
 * TemplateError naming the variable, as Ansible's StrictUndefined does. `a if cond` without
 * an else is the one lenient exception (LenientUndef).
 */
import { TemplateError } from '../errors.js';

/** The failure of using an undefined value (Ansible's AnsibleUndefinedVariable). */
export class UndefinedError extends TemplateError {}

/** The undefined value's failure behind `e` (an error wrapping it), if that is what `e` is. */
export function undefinedCause(e: unknown): UndefinedError | undefined {
  for (let cur: unknown = e; cur instanceof Error; cur = cur.cause) if (cur instanceof UndefinedError) return cur;
  return undefined;
}

/**
 * The failure's text as Ansible words it once templating gave up: Jinja's message, then the
 * same again (its AnsibleUndefinedVariable carries the Jinja error it wraps).
 */
export function ansibleUndefinedText(e: UndefinedError): string {
  return `${e.message}. ${e.message}`;
}

export class Undef {
  /** e.g. `'foo' is undefined` or `'dict object' has no attribute 'bar'` */
  readonly message: string;
  constructor(message: string) {
    this.message = message;
    Object.defineProperty(this, 'message', { enumerable: false });
  }
  fail(): never {
    throw new UndefinedError(this.message);
  }
  // Any implicit coercion by JS code (`'' + x`, `x < 1`) is a use of the undefined value.
  [Symbol.toPrimitive](): never {
    return this.fail();
  }
  toString(): never {
    return this.fail();
  }
  toJSON(): never {
    return this.fail();
  }
}

/**
 * Jinja's own plain Undefined, which its compiler gives `a if cond` without an else whatever
 * undefined class the environment uses (Ansible's is strict). Python's str(), bool(), len()
 * and iteration accept it: it prints as '', is false, is empty and equals only another of its
 * kind. Arithmetic, ordering, attributes, items and calls fail with its hint, as strict ones do.
 */
export class LenientUndef extends Undef {}

/** The value of `a if cond` (no else) when cond is false, with Jinja's hint naming the template line. */
export function condExprUndefined(line: number): LenientUndef {
  return new LenientUndef(`the inline if-expression on line ${line} evaluated to false and no else section was defined.`);
}

/** v, failing if it is an undefined value Python could not print (any but a LenientUndef). */
export function printable(v: unknown): unknown {
  if (v instanceof Undef && !(v instanceof LenientUndef)) v.fail();
  return v;
}

export function isUndef(v: unknown): v is Undef {
  return v instanceof Undef;
}

export function undefinedVar(name: string): Undef {
  return new Undef(`'${name}' is undefined`);
}

/** Throws when v is undefined; otherwise returns it (narrowed). */
export function defined<T>(v: T | Undef): T {
  if (v instanceof Undef) v.fail();
  return v as T;
}
