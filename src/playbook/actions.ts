/**
 * What a task's module key means: a registered module, or one of the actions the
 * loader/executor implement themselves (include_tasks, import_role, meta...).
 * Registered modules win, except for the structural actions the loader expands.
 */
import { getModule, moduleNames } from '../modules/registry.js';
import { argNames } from '../modules/argspec.js';
import { ansibleFreeFormKeys } from '../modules/ansibleArgs.js';

export interface ActionInfo {
  /** Canonical name ('copy' for 'ansible.builtin.copy'). */
  action: string;
  /** Accepted argument names; undefined means any key is accepted (set_fact, add_host). */
  keys?: ReadonlySet<string>;
  /** The argument that receives free-form text, if the action takes free form. */
  freeForm?: string;
  /** Free form takes only these k=v words; other words stay in the free-form text. */
  freeFormKeys?: ReadonlySet<string>;
}

interface Fallback {
  keys?: string[];
  freeForm?: string;
}

const CMD = ['cmd', 'argv', 'chdir', 'creates', 'removes', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'warn', 'expand_argument_vars'];
const ROLE = ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'rolespec_validate'];

/** Always handled by the loader or executor, whatever the catalogue holds. */
const STRUCTURAL: Record<string, Fallback> = {
  include_tasks: { keys: ['file', 'apply'], freeForm: 'file' },
  import_tasks: { keys: ['file'], freeForm: 'file' },
  include_role: { keys: [...ROLE, 'apply'] },
  import_role: { keys: ROLE },
  meta: { keys: [], freeForm: '_raw_params' },
};

/** Used when the catalogue has no module of that name (yet). */
const FALLBACK: Record<string, Fallback> = {
  set_fact: {},
  add_host: {},
  debug: { keys: ['msg', 'var', 'verbosity'] },
  fail: { keys: ['msg'] },
  assert: { keys: ['that', 'fail_msg', 'msg', 'success_msg', 'quiet'] },
  pause: { keys: ['minutes', 'seconds', 'prompt', 'echo'] },
  group_by: { keys: ['key', 'parents'] },
  include_vars: { keys: ['file', 'dir', 'name', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions', 'hash_behaviour'], freeForm: 'file' },
  command: { keys: CMD, freeForm: '_raw_params' },
  shell: { keys: CMD, freeForm: '_raw_params' },
  raw: { keys: ['executable'], freeForm: '_raw_params' },
  script: { keys: ['cmd', 'chdir', 'creates', 'removes', 'executable'], freeForm: '_raw_params' },
  setup: { keys: ['gather_subset', 'gather_timeout', 'filter', 'fact_path'] },
  gather_facts: { keys: ['parallel'] },
  ping: { keys: ['data'] },
  wait_for_connection: { keys: ['connect_timeout', 'delay', 'sleep', 'timeout'] },
  set_stats: { keys: ['data', 'per_host', 'aggregate'] },
  end_play: { keys: [] },
};

/** Names that used to work in Ansible and now need a different spelling. */
export const REMOVED: Record<string, string> = {
  include: "'include' was removed from Ansible; use include_tasks (dynamic) or import_tasks (static)",
};

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

function bare(name: string): string {
  for (const p of PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

function fromFallback(action: string, f: Fallback): ActionInfo {
  const keys = f.keys ? new Set(f.freeForm ? [...f.keys, f.freeForm] : f.keys) : undefined;
  return {
    action,
    ...(keys ? { keys } : {}),
    ...(f.freeForm ? { freeForm: f.freeForm, ...(f.keys ? { freeFormKeys: new Set(f.keys) } : {}) } : {}),
  };
}

/** Free-form text is split into k=v pairs for every action in this set with no freeForm argument. */
const ANY_KEYS = new Set(['set_fact', 'add_host']);

export function resolveAction(name: string): ActionInfo | undefined {
  const short = bare(name);
  const structural = STRUCTURAL[short];
  if (structural) return fromFallback(short, structural);
  const mod = getModule(name) ?? (name !== short ? getModule(short) : undefined);
  if (mod) {
    const canonical = mod.name;
    if (ANY_KEYS.has(canonical)) return { action: canonical };
    const keys = new Set(argNames(mod.args));
    if (!mod.freeForm) return { action: canonical, keys };
    // only the names Ansible pulls out of free-form text (`shell: echo cmd=x` keeps cmd=x)
    const ffKeys = new Set<string>([...(mod.freeFormKeys ?? keys), ...ansibleFreeFormKeys(canonical)]);
    ffKeys.delete(mod.freeForm);
    keys.add(mod.freeForm);
    return { action: canonical, keys, freeForm: mod.freeForm, freeFormKeys: ffKeys };
  }
  const fallback = FALLBACK[short];
  if (fallback) return fromFallback(short, fallback);
  return undefined;
}

/** Every action name a task may use, for did-you-mean. */
export function actionNames(): string[] {
  return [...new Set([...moduleNames(), ...Object.keys(STRUCTURAL), ...Object.keys(FALLBACK)])];
}
