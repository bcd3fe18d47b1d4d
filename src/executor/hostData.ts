/**
 * Host data stays data. What a host said (facts, registered results, command output, a
 * fetched file) and every value rendered from it is stored with an unsafe mark, so no later
 * render evaluates template syntax inside it: Ansible's AnsibleUnsafe, carried by
 * src/template/scope.ts. This file is where the executor stores such values.
 */
import { resolve } from 'node:path';
import { asUnsafe } from '../template/index.js';

/**
 * Variables a module builds from its arguments (set_fact's facts, add_host's host vars): the
 * names whose argument rendered host data, so that they are stored marked.
 */
const unsafeNames = new WeakMap<object, ReadonlySet<string>>();

export function noteUnsafeArgs(vars: object, names: ReadonlySet<string>): void {
  if (names.size) unsafeNames.set(vars, names);
}

/** The variables to store: those rendered from host data in their storage form. */
export function varsToStore(vars: Record<string, unknown>): Record<string, unknown> {
  const unsafe = unsafeNames.get(vars);
  if (!unsafe) return vars;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = unsafe.has(k) ? asUnsafe(v) : v;
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

