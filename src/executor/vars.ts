/**
 * Variable precedence, lowest first (a simplification of Ansible's 22 levels that keeps
 * every order people rely on; README documents it):
 *  1 role defaults            2 inventory vars (all → parent → child group → host, then
 *  group_vars/ and host_vars/ files)   3 facts   4 play vars and vars_files
 *  5 role vars                6 block vars (outer → inner)   7 task vars
 *  8 include_vars             9 set_fact / register   10 role params and include params
 * 11 extra vars (-e)
 * Magic variables (inventory_hostname, groups, hostvars...) are set last and cannot be overridden.
 */
import { randomBytes } from 'node:crypto';
import type { RoleRef } from '../playbook/model.js';
import type { HostState } from './hostState.js';

let omit: string | undefined;

/**
 * The value of `omit`, random per process (as Ansible's), drawn on first use rather than at
 * import: the bin's startup snapshot loads this module once at build time, and a token drawn
 * then would be the same in every run.
 */
export function omitToken(): string {
  omit ??= `__omit_place_holder__${randomBytes(8).toString('hex')}`;
  return omit;
}

export interface Scope {
  role?: RoleRef;
  /** Block and include vars, outer to inner. */
  vars: Record<string, unknown>[];
  includeParams?: Record<string, unknown>;
}

export interface PlayVarsSource {
  playVars: Record<string, unknown>;
  extraVars: Record<string, unknown>;
  magic: (host: HostState) => Record<string, unknown>;
}

export function buildVars(
  src: PlayVarsSource,
  host: HostState,
  scope: Scope,
  taskVars?: Record<string, unknown>,
): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (scope.role) Object.assign(v, scope.role.defaults);
  Object.assign(v, host.inventoryVars, host.factVars(), src.playVars);
  if (scope.role) Object.assign(v, scope.role.vars);
  for (const layer of scope.vars) Object.assign(v, layer);
  if (taskVars) Object.assign(v, taskVars);
  Object.assign(v, host.includedVars, host.hostFacts);
  if (scope.role) Object.assign(v, scope.role.params);
  if (scope.includeParams) Object.assign(v, scope.includeParams);
  Object.assign(v, src.extraVars, src.magic(host));
  if (scope.role) {
    v.role_name = scope.role.name;
    v.role_path = scope.role.path;
  }
  return v;
}

/** Removes arguments whose value is the `omit` placeholder: dict entries, also in dicts inside lists (not list items, as in Ansible). */
export function dropOmitted(value: unknown, omit = omitToken()): unknown {
  if (Array.isArray(value)) return value.map((v) => dropOmitted(v, omit));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) if (x !== omit) out[k] = dropOmitted(x, omit);
    return out;
  }
  return value;
}
