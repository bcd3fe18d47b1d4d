/**
 * Module arguments written as literals are checked when the playbook loads: a bad type, a
 * value outside the choices or a missing required argument is reported as a warning at its
 * file:line:col. Ansible loads such a task and fails it only if it runs (a role's
 * `state: installed` under `when: ansible_os_family == 'RedHat'` never does on Debian), so
 * kelpie does too: the task fails when it runs, with Ansible's message (executor/task.ts).
 * Templated values are checked only when the task runs.
 */
import type { SourceLocation } from '../errors.js';
import { argNames, validateArgs, type ArgSpec } from '../modules/argspec.js';
import { getModule } from '../modules/registry.js';
import { isTemplate } from '../template/index.js';
import type { Problems } from './problems.js';

/** True when the value, or anything inside it, is rendered at run time. */
export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplate(v);
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => isTemplate(k) || hasTemplate(x));
  return false;
}

/** The spec names (canonical and aliases) one option answers to. */
function namesOf(spec: ArgSpec, key: string): string[] {
  const opt = spec[key];
  return opt ? [key, ...(opt.aliases ?? [])] : [key];
}

export function checkLiteralArgs(
  action: string,
  args: Record<string, unknown>,
  argLocs: Record<string, SourceLocation>,
  keyLoc: SourceLocation,
  problems: Problems,
  label: string,
): void {
  const mod = getModule(action);
  if (!mod) return;
  const spec = mod.args as ArgSpec;
  const known = new Set(argNames(spec));
  const literal: Record<string, unknown> = {};
  const later = new Set<string>();
  for (const [k, v] of Object.entries(args)) {
    if (!known.has(k)) continue; // unknown names are reported (or deferred) by the key check
    if (hasTemplate(v)) later.add(k);
    else literal[k] = v;
  }
  // a required argument given as a template is not missing; the others are checked now
  const found = validateArgs(spec, literal).problems.filter((p) => !p.message.startsWith('missing required') || !namesOf(spec, p.key).some((n) => later.has(n)));
  const fails = (message: string, hint?: string) => `${label}: ${message}${hint ? ` (${hint})` : ''}; this task fails if it runs`;
  for (const p of found) {
    const at = namesOf(spec, p.key).map((n) => argLocs[n]).find((l) => l !== undefined) ?? keyLoc;
    problems.warn(fails(p.message, p.hint), at);
  }
  if (found.length || later.size || !mod.check || Object.keys(args).some((k) => !known.has(k))) return;
  // every argument is literal and valid: the module's own cross-argument rules can run now too
  const problem = mod.check(validateArgs(spec, literal).args as never);
  if (problem) problems.warn(fails(problem), keyLoc);
}
