import type { ShellCommand } from '../shell/quote.js';
import type { ExecOptions, ExecResult, FileStat } from '../connection/types.js';
import type { ArgSpec, ArgsOf } from './argspec.js';

/** A diff is data; only src/output renders it. */
export interface FileDiff {
  path?: string;
  before?: string;
  after?: string;
  beforeHeader?: string;
  afterHeader?: string;
  /** before/after are the content of the file at `path` (rendered as a patch-ready diff); false where it does not exist. */
  file?: { existedBefore: boolean; existsAfter: boolean };
  /** Set instead of before/after when content is binary or too large to show. */
  marker?: string;
}

export type ResultData = Record<string, unknown>;

/** One outcome of plan(): what would change on the host, the same in every mode. */
export type PlanOutcome<P = unknown> =
  /** Nothing to change. `result` merges into the task result (e.g. stat, slurp, facts). */
  | { kind: 'ok'; msg?: string; result?: ResultData }
  /** A change is needed; `data` is private to the module and handed back to apply(). */
  | {
      kind: 'change';
      msg?: string;
      changes?: string[];
      diff?: FileDiff[];
      result?: ResultData;
      data?: P;
      /**
       * Packages this change installs. A check run remembers them per host: their files
       * exist only in the real run, so later plans must not treat those files as absent.
       */
      installs?: string[];
    }
  /** Would change but cannot be verified in check mode (e.g. depends on a simulated install). */
  | { kind: 'unknown'; reason: string; diff?: FileDiff[]; result?: ResultData; data?: P }
  /**
   * The module refuses: bad state on the host, assertion failed... In check mode the
   * executor reports 'cannot verify' instead when an earlier task would have changed the
   * host, or when `afterOwnChange` names what this task itself would change first that
   * may remove the cause (apt: 'the apt cache update'). Modules never branch on check mode for this.
   */
  | { kind: 'fail'; msg: string; result?: ResultData; afterOwnChange?: string }
  /**
   * Skipped (e.g. script's creates/removes guard). `byAction`: Ansible's action plugin skips
   * before its module runs and before its executor sets `failed`, so the result has no
   * `failed` (fetch in check mode).
   */
  | { kind: 'skip'; msg?: string; result?: ResultData; byAction?: boolean };

/**
 * What check mode reports instead of a plan's outcome, where Ansible's check-mode result
 * is not the prediction itself: command's "Would not run" wording, a skip for a command
 * whose effect cannot be predicted, an ok for a step that does not count as a change. A
 * function is called only in check mode (for what costs a probe, such as file's stat keys).
 * Its `data` goes nowhere: apply() never runs in check mode.
 */
export type CheckModeOutcome = PlanOutcome | (() => Promise<PlanOutcome>);

/**
 * What plan() returns. plan() never knows the mode: `inCheckMode` declares what differs
 * there, and the executor applies it (src/executor/modePlan.ts).
 */
export type Plan<P = unknown> = PlanOutcome<P> & { inCheckMode?: CheckModeOutcome };

export interface Applied {
  /** Defaults to true. */
  changed?: boolean;
  failed?: boolean;
  msg?: string;
  result?: ResultData;
  diff?: FileDiff[];
}

export interface Logger {
  debug(msg: string): void; // shown at -vvv
  warn(msg: string): void;
}

/** The template module's Jinja options. */
export interface TemplateFileOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

/** What every module may do: look, never touch. */
export interface ReadContext {
  readonly host: string;
  /** All variables visible to the task (templated lazily by the executor; treat as read-only data). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly diffMode: boolean;
  /**
   * Check mode: packages that earlier tasks of this run would install on this host (only
   * simulated, so none of their files are on the host yet). Empty outside check mode.
   */
  readonly simulatedInstalls?: readonly string[];
  /** -v count of the run (debug's `verbosity` threshold) */
  readonly verbosity: number;
  /** Read-only probe commands (stat, dpkg-query, ip addr show...): kelpie's own scripts, which never `exec` or trap EXIT at their top level (ExecOptions.probe). */
  probe(cmd: ShellCommand, opts?: Omit<ExecOptions, 'stdin'>): Promise<ExecResult>;
  readFile(path: string): Promise<Buffer | null>;
  stat(path: string, follow?: boolean): Promise<FileStat | null>;
  /** Reads a file on the controller (src: for copy/template/script), relative paths resolved the Ansible way (role files/, playbook dir). */
  findLocalFile(kind: 'files' | 'templates', path: string): Promise<string>;
  /** Renders a template text with the task's variables (template module); path's directory and the search dirs serve includes. */
  renderTemplate(text: string, extraVars?: Record<string, unknown>, path?: string, opts?: TemplateFileOptions): Promise<string>;
  /** Evaluates a bare Jinja expression with the task's variables (assert that=). */
  evaluate(expr: string): unknown;
  /**
   * A playbook string's value with the task's variables, as Ansible templates it (debug var=):
   * `"{{ x + 1 }}"` is the text '4', a lone variable keeps its number or boolean.
   */
  template(text: string): unknown;
  /** Cached facts of the host (setup); gathered on first use. */
  facts(): Promise<Record<string, unknown>>;
  readonly log: Logger;
}

/** A command that ran: its output and Ansible's start/end/delta. */
export interface TimedRun extends ExecResult {
  start: string;
  end: string;
  delta: string;
}

/** How a command's output becomes its result (kept with an async job for async_status). */
export interface CommandShape {
  cmd: unknown;
  strip: boolean;
  chdir?: string | undefined;
}

/** Only apply() gets the power to change the host. */
export interface WriteContext extends ReadContext {
  exec(cmd: ShellCommand, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * The task's own command (command, shell, raw, script), timed. Under `async` on a
   * module that runs in the background it becomes a job on the host (shape: how its
   * finished output becomes the result, kept with the job for async_status).
   */
  runCommand(cmd: ShellCommand, opts: ExecOptions, shape: CommandShape): Promise<TimedRun>;
  /**
   * Atomic write: temp file beside the target, owner/group/mode set, optional validate
   * command (with %s for the temp path), then rename into place.
   */
  writeFile(
    path: string,
    data: Buffer | string,
    attrs?: { mode?: string | number; owner?: string; group?: string; validate?: string },
  ): Promise<void>;
  /** Uploads a controller file/data to a remote temp path; returns it. Removed at the end of the task. */
  tempFile(data: Buffer | string): Promise<string>;
}

export interface ModuleDefinition<S extends ArgSpec = ArgSpec, P = unknown> {
  name: string;
  /** Other names, e.g. 'ansible.builtin.copy'. The `ansible.builtin.`+name alias is added automatically. */
  aliases?: readonly string[];
  args: S;
  /** The argument that receives free-form text (`command: ls -l`, `shell: ...`). */
  freeForm?: keyof S & string;
  /**
   * The `key=value` words the loader may pull out of free-form text (Ansible's list for
   * command/shell: creates, removes, chdir...). Unset: every argument name. Set it where
   * other names must stay in the text (`shell: echo cmd=x` prints `cmd=x`).
   */
  freeFormKeys?: readonly (keyof S & string)[];
  /** Accepts any argument names (set_fact, add_host host vars); `args` still validates the known ones. */
  anyArgs?: boolean;
  /**
   * Ansible's action skips this module in check mode before looking at anything, as for a
   * module without supports_check_mode (fetch, raw): the executor reports the skip, with
   * `msg` where Ansible's action words it, and never calls plan(). `byAction`: the action
   * raises its skip uncaught, so the result has no `failed` (fetch).
   */
  checkModeSkip?: { msg?: string; byAction?: boolean };
  /** Its argument names are templated too (set_fact: `"{{ name }}": value`); others' stay as written. */
  templatedNames?: boolean;
  /** Runs on the controller only, never connects (debug, set_fact, assert, fail, meta...). */
  controllerOnly?: boolean;
  /** Extra cross-argument validation; return an error message. */
  check?(args: ArgsOf<S>): string | undefined;
  plan(ctx: ReadContext, args: ArgsOf<S>): Promise<Plan<P>>;
  /** Only called for plan kind 'change' (or 'unknown') outside check mode. */
  apply?(ctx: WriteContext, args: ArgsOf<S>, data: P, plan: Plan<P>): Promise<Applied>;
}

/** Ansible's msg for a module that raised (its traceback goes to module_stderr). */
export const MODULE_FAILURE = 'MODULE FAILURE\nSee stdout/stderr for the exact error';

export function defineModule<const S extends ArgSpec, P = unknown>(def: ModuleDefinition<S, P>): ModuleDefinition<S, P> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalogue holds modules of every spec; each is typed where defined
export type AnyModule = ModuleDefinition<any, any>;
