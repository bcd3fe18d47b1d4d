/** The typed play/task model the loader produces and the executor runs. Values are raw (untemplated). */
import type { SourceLocation } from '../errors.js';

/** Keywords shared by plays, blocks, tasks (inherited downward by the executor). */
export interface Keywords {
  when?: unknown[]; // conditions (strings/bools), ANDed; a block's/role's/import's conditions are appended to its children's
  tags?: string[];
  become?: unknown; // bool or template
  becomeUser?: unknown;
  becomeMethod?: unknown;
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  checkMode?: unknown; // bool/template: force check mode on/off
  diff?: unknown;
  noLog?: unknown;
  environment?: Record<string, unknown> | string;
  vars?: Record<string, unknown>;
  anyErrorsFatal?: unknown;
  delegateTo?: unknown;
  /** With delegate_to: the task's facts go to the delegated host. */
  delegateFacts?: unknown;
  runOnce?: unknown;
  timeout?: unknown;
  /** At most this many hosts run the task at once (0: no limit); int or template. */
  throttle?: unknown;
  remoteUser?: unknown;
  connection?: unknown;
  /** Filled for tasks that come from a role (role name, role path for files/templates lookup). */
  role?: RoleRef;
}

export interface RoleRef {
  name: string;
  path: string; // roles/NAME directory
  defaults: Record<string, unknown>; // role defaults (lowest precedence)
  vars: Record<string, unknown>; // role vars (high precedence)
  params: Record<string, unknown>; // parameters given in `roles:` entry
}

export interface LoopSpec {
  /** 'loop' | 'with_items' | 'with_dict' | 'with_sequence' | 'with_list' | 'with_indexed_items' | 'with_nested' | 'with_together' | 'with_subelements' | 'with_fileglob' ... */
  kind: string;
  value: unknown; // raw, templated at run time
  loopVar: string; // loop_control.loop_var, default 'item'
  indexVar?: string;
  label?: unknown;
  pause?: number;
  extended?: boolean;
  /** loop_control.break_when: conditions (raw) after which the loop stops (Ansible 2.18). */
  breakWhen?: unknown[];
}

export interface TaskNode extends Keywords {
  kind: 'task';
  id: string; // unique in the run
  name?: string; // raw name (may contain templates)
  /** Canonical module name (e.g. 'copy' for 'ansible.builtin.copy'), or a special action:
   *  'meta', 'include_tasks', 'include_role', 'import_role' (expanded statically), 'include_vars', 'set_fact', 'debug'... */
  action: string;
  /** What the user wrote (e.g. 'ansible.builtin.copy'), for messages. */
  actionAs: string;
  args: Record<string, unknown>; // free-form text parsed: `k=v` pairs, and the rest in args._raw_params (command/shell)
  loc: SourceLocation; // position of the task mapping
  argLocs: Record<string, SourceLocation>; // position of each argument key
  /** include_tasks/include_role `apply:`: keywords given to every task the include brings in. */
  apply?: Keywords;
  keyLocs: Record<string, SourceLocation>; // position of each task keyword (when, loop, register...)
  loop?: LoopSpec;
  register?: string;
  changedWhen?: unknown[];
  failedWhen?: unknown[];
  until?: unknown[];
  retries?: unknown;
  delay?: unknown;
  /** async: the task's limit in seconds; poll: the interval (0: fire-and-forget, refused). Raw. */
  async?: unknown;
  poll?: unknown;
  notify?: string[];
  /** Handlers only. */
  listen?: string[];
  /** Set when the task came from a file (role, import_tasks). */
  file: string;
}

export interface BlockNode extends Keywords {
  kind: 'block';
  id: string;
  name?: string;
  block: Node[];
  rescue: Node[];
  always: Node[];
  loc: SourceLocation;
  file: string;
}

export type Node = TaskNode | BlockNode;

export interface Play extends Keywords {
  name: string; // defaults to the hosts pattern
  hosts: string; // pattern (raw; may be templated)
  gatherFacts: unknown; // default true
  varsFiles: unknown[]; // raw entries (string or list of alternatives)
  serial?: unknown; // number | percent string | list
  maxFailPercentage?: number;
  strategy: string; // 'linear' | 'free'
  forceHandlers: boolean;
  preTasks: Node[];
  tasks: Node[]; // role tasks come first, then the play's tasks
  postTasks: Node[];
  handlers: TaskNode[]; // flattened; role handlers included, definition order
  loc: SourceLocation;
  file: string;
  dir: string; // playbook directory (for relative paths, group_vars/host_vars)
}

export interface Playbook {
  file: string;
  plays: Play[]; // import_playbook expanded in place
  /** Things accepted but ignored (module_defaults, async, vars_prompt...), for the CLI to print. */
  warnings?: { message: string; loc?: SourceLocation }[];
}
