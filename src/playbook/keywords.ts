/** Which keywords plays, blocks and tasks accept, and how each keyword's raw value is normalised. */
import type { SourceLocation } from '../errors.js';
import { notABoolean, toBool } from '../modules/argspec.js';
import { isTemplate, UnsafeText } from '../template/index.js';
import type { Keywords } from './model.js';
import type { Problems } from './problems.js';

/** Keywords that map one-to-one onto a Keywords field, values kept raw (they may be templates). */
const RAW: Record<string, keyof Keywords> = {
  become: 'become',
  become_user: 'becomeUser',
  become_method: 'becomeMethod',
  ignore_errors: 'ignoreErrors',
  ignore_unreachable: 'ignoreUnreachable',
  check_mode: 'checkMode',
  diff: 'diff',
  no_log: 'noLog',
  any_errors_fatal: 'anyErrorsFatal',
  delegate_to: 'delegateTo',
  delegate_facts: 'delegateFacts',
  run_once: 'runOnce',
  timeout: 'timeout',
  remote_user: 'remoteUser',
  connection: 'connection',
  throttle: 'throttle',
};

/** Keywords whose value is a boolean: a literal must be one of Ansible's spellings. */
export const BOOLEAN_KEYWORDS = new Set([
  'become', 'ignore_errors', 'ignore_unreachable', 'check_mode', 'diff', 'no_log', 'any_errors_fatal', 'run_once', 'delegate_facts',
  'gather_facts', 'force_handlers',
]);

/**
 * A literal boolean keyword that is not a boolean is an error before any host is touched
 * (Ansible only fails the task at run time; a typo in `become:` must never reach a host).
 * Templated values are checked when the task runs. Returns false when the value was refused.
 */
export function checkBoolean(key: string, value: unknown, loc: SourceLocation, problems: Problems): boolean {
  if (value === null || value === undefined || (typeof value === 'string' && isTemplate(value))) return true;
  if (toBool(value) !== undefined) return true;
  const { message, hint } = notABoolean(key, value);
  problems.error(message, loc, hint);
  return false;
}

/** Modules whose command kelpie runs as a background job on the host under `async`. */
export const BACKGROUND_ACTIONS: ReadonlySet<string> = new Set(['command', 'shell']);

/** Ansible's action plugins that refuse async at run time ("async is not supported for this task."). */
export const NO_ASYNC_ACTIONS: ReadonlySet<string> = new Set([
  'add_host', 'assemble', 'assert', 'async_status', 'copy', 'debug', 'fail', 'fetch', 'gather_facts', 'group_by', 'include_vars',
  'pause', 'raw', 'script', 'set_fact', 'set_stats', 'template', 'unarchive', 'validate_argument_spec', 'wait_for_connection',
]);

/** Said at load time (a literal poll: 0) or when the task runs (a templated one). */
export function fireAndForgetRefused(action: string): string {
  return `poll: 0 (fire-and-forget) runs ${[...BACKGROUND_ACTIONS].join(' and ')} in the background; kelpie cannot leave '${action}' running`;
}

/** A literal count (throttle) must be a whole number >= 0; a template is checked when the task runs. */
function checkCount(key: string, value: unknown, loc: SourceLocation, problems: Problems): boolean {
  if (value === null || value === undefined || (typeof value === 'string' && isTemplate(value))) return true;
  if (/^\s*\d+\s*$/.test(String(value))) return true;
  problems.error(`'${key}' must be a whole number (0 means no limit), got ${JSON.stringify(value)}`, loc);
  return false;
}

/** Accepted and ignored: they change nothing kelpie's engine would do differently. */
export const SILENT = new Set(['debugger', 'collections', 'order', 'become_exe']);
/** Accepted, ignored, and worth telling the user about. */
export const WARN: Record<string, string> = {
  module_defaults: 'module_defaults is ignored by kelpie',
  become_flags: 'become_flags is ignored',
  port: 'port is ignored here; set ansible_port in the inventory',
};

const SHARED = [...Object.keys(RAW), 'when', 'tags', 'vars', 'environment', 'name', ...SILENT, ...Object.keys(WARN)];

export const PLAY_KEYWORDS = new Set([
  ...SHARED.filter((k) => k !== 'when' && k !== 'delegate_to' && k !== 'delegate_facts'),
  'hosts', 'gather_facts', 'gather_subset', 'gather_timeout', 'fact_path', 'vars_files', 'vars_prompt',
  'roles', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'serial', 'max_fail_percentage',
  'strategy', 'force_handlers',
]);

export const BLOCK_KEYWORDS = new Set([...SHARED, 'block', 'rescue', 'always']);

export const LOOP_KINDS = [
  'items', 'list', 'dict', 'sequence', 'indexed_items', 'nested', 'cartesian', 'together', 'subelements',
  'fileglob', 'lines', 'file', 'first_found', 'flattened', 'random_choice', 'inventory_hostnames', 'env',
  'template', 'password', 'pipe', 'url', 'varnames', 'vars', 'community.general.dict_kv',
];

export const TASK_KEYWORDS = new Set([
  ...SHARED,
  'action', 'local_action', 'args', 'loop', 'loop_control', 'register', 'changed_when', 'failed_when',
  'until', 'retries', 'delay', 'notify', 'listen', 'async', 'poll',
]);

/** True for `with_items`, `with_dict`... (any `with_` key is a loop, validated separately). */
export function isLoopKey(key: string): boolean {
  return key.startsWith('with_');
}

export function asList(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** when / changed_when / failed_when / until: a bare expression, a bool, or a list of them. */
export function conditions(v: unknown, key: string, loc: SourceLocation, problems: Problems): unknown[] {
  const list = asList(v);
  for (const c of list) {
    // an `!unsafe` condition is kept: evaluating it is refused at run time, as in Ansible
    if (c !== null && typeof c === 'object' && !(c instanceof UnsafeText)) {
      problems.error(`'${key}' must be an expression or a list of expressions, got a mapping`, loc, 'did you mean to quote it? a `key: value` inside a condition makes YAML read a mapping');
      return [];
    }
  }
  return list;
}

export function tagList(v: unknown, loc: SourceLocation, problems: Problems): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v) && v.every((t) => typeof t === 'string' || typeof t === 'number')) return v.map((t) => String(t));
  problems.error(`'tags' must be a string or a list of strings`, loc);
  return [];
}

/** notify / listen: a name or a list of names. */
export function nameList(v: unknown, key: string, loc: SourceLocation, problems: Problems): string[] {
  const list = asList(v);
  if (list.every((n) => typeof n === 'string')) return list as string[];
  problems.error(`'${key}' must be a handler name or a list of names`, loc);
  return [];
}

/** vars: a mapping (an old-style list of mappings is merged). */
export function varsMap(v: unknown, key: string, loc: SourceLocation, problems: Problems): Record<string, unknown> | undefined {
  if (v === null || v === undefined) return {};
  if (isRecord(v)) return v;
  if (Array.isArray(v) && v.every(isRecord)) return Object.assign({}, ...v) as Record<string, unknown>;
  problems.error(`'${key}' must be a mapping of variable names to values`, loc);
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Applies a keyword shared by plays, blocks and tasks. Returns false when `key` is not one.
 * Ignored keywords are consumed (with a warning where it matters).
 */
export function applyShared(target: Keywords, key: string, value: unknown, loc: SourceLocation, problems: Problems): boolean {
  const field = RAW[key];
  if (field) {
    if (BOOLEAN_KEYWORDS.has(key) && !checkBoolean(key, value, loc, problems)) return true;
    if (key === 'throttle' && !checkCount(key, value, loc, problems)) return true;
    (target as Record<string, unknown>)[field] = value;
    return true;
  }
  switch (key) {
    case 'when':
      target.when = conditions(value, key, loc, problems);
      return true;
    case 'tags':
      target.tags = tagList(value, loc, problems);
      return true;
    case 'vars': {
      const vars = varsMap(value, key, loc, problems);
      if (vars) target.vars = vars;
      return true;
    }
    case 'environment': {
      if (typeof value === 'string') target.environment = value;
      else {
        const env = varsMap(value, key, loc, problems);
        if (env) target.environment = env;
      }
      return true;
    }
  }
  if (SILENT.has(key)) return true;
  const warning = WARN[key];
  if (warning) {
    problems.warn(warning, loc);
    return true;
  }
  return false;
}
