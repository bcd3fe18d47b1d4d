/**
 * Host data stays data. What a host said (facts, registered results, command output, a
 * fetched file) and every value rendered from it is stored with an unsafe mark, so no later
 * render evaluates template syntax inside it: Ansible's AnsibleUnsafe, carried by
 * src/template/scope.ts. This file is where the executor stores such values.
 */
import { resolve } from 'node:path';
import { asUnsafe } from '../template/index.js';

/** set_fact results whose arguments rendered host data: the fact names that must stay marked. */
const unsafeFactNames = new WeakMap<object, ReadonlySet<string>>();

export function noteUnsafeFacts(facts: object, names: ReadonlySet<string>): void {
  if (names.size) unsafeFactNames.set(facts, names);
}

/** The values set_fact stores: those rendered from host data in their storage form. */
export function factsToStore(facts: Record<string, unknown>): Record<string, unknown> {
  const unsafe = unsafeFactNames.get(facts);
  if (!unsafe) return facts;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k] = unsafe.has(k) ? asUnsafe(v) : v;
  return out;
}

/** Files fetch wrote on the controller during this run: include_vars reads them as data. */
export class FetchedFiles {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(resolve(path));
  }

  has(path: string): boolean {
    return this.paths.has(resolve(path));
  }
}

