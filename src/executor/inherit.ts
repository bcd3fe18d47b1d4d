/** Keywords flow from play to block to task; the nearest one wins, conditions and tags accumulate. */
import type { SourceLocation } from '../errors.js';
import type { Keywords, RoleRef } from '../playbook/model.js';
import type { Scope } from './vars.js';

export interface Inherited extends Scope {
  when: unknown[];
  tags: string[];
  become?: unknown;
  becomeUser?: unknown;
  becomeMethod?: unknown;
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  checkMode?: unknown;
  diff?: unknown;
  noLog?: unknown;
  environment: (Record<string, unknown> | string)[];
  delegateTo?: unknown;
  delegateFacts?: unknown;
  runOnce?: unknown;
  timeout?: unknown;
  throttle?: unknown;
  anyErrorsFatal?: unknown;
  remoteUser?: unknown;
  connection?: unknown;
  /** The include_tasks/include_role tasks this node runs under, outermost first. */
  includeChain?: SourceLocation[];
  /** How many enclosing blocks have a rescue section. */
  rescueDepth: number;
}

export function rootInherited(play: Keywords): Inherited {
  return inherit({ when: [], tags: [], environment: [], vars: [], rescueDepth: 0 }, play, false);
}

const SCALARS = [
  'become',
  'becomeUser',
  'becomeMethod',
  'ignoreErrors',
  'ignoreUnreachable',
  'checkMode',
  'diff',
  'noLog',
  'delegateTo',
  'delegateFacts',
  'runOnce',
  'timeout',
  'throttle',
  'anyErrorsFatal',
  'remoteUser',
  'connection',
] as const;

/** Applies a node's keywords on top of what it inherits. `withVars` false for plays (play vars are their own layer). */
export function inherit(parent: Inherited, node: Keywords, withVars = true, role?: RoleRef): Inherited {
  const out: Inherited = {
    ...parent,
    when: node.when?.length ? [...parent.when, ...node.when] : parent.when,
    tags: node.tags?.length ? [...new Set([...parent.tags, ...node.tags])] : parent.tags,
    environment: node.environment !== undefined ? [...parent.environment, node.environment] : parent.environment,
    vars: withVars && node.vars && Object.keys(node.vars).length ? [...parent.vars, node.vars] : parent.vars,
  };
  for (const k of SCALARS) if (node[k] !== undefined) out[k] = node[k];
  const r = role ?? node.role;
  if (r) out.role = r;
  return out;
}
