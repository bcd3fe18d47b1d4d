/** Running one task on one host: conditions, loops, retries, the module's plan/apply, result keywords. */
import { templateIncludeDirs } from '../template/templateFile.js';
import type { BecomeSpec, Connection } from '../connection/types.js';
import { CommandTimeoutError, ConnectError, InterruptedError, KelpieError, type SourceLocation } from '../errors.js';
import { argumentFailure, knownArgs, notABoolean, validateArgs, secretArgs, toBool } from '../modules/argspec.js';
import { notImplementedMessage, unimplementedArgument } from '../modules/ansibleArgs.js';
import { getModule } from '../modules/registry.js';
import type { AnyModule } from '../modules/types.js';
import type { EventSink, TaskHostResult, TaskRef } from '../output/events.js';
import type { TaskNode } from '../playbook/model.js';
import { ansibleUndefinedText, conditionSyntaxError, markUnsafe, undefinedCause, unsafeLayer, UnsafeText, type Templar } from '../template/index.js';
import { asyncJob, asyncRefusal, finishedJob, JobStarted, JobTimedOut, startedJob, storeJob, timedOutJob, type AsyncJob } from './async.js';
import { BACKGROUND_ACTIONS } from '../playbook/keywords.js';
import { HostContext, planView } from './context.js';
import { planInMode } from './modePlan.js';
import type { HostState } from './hostState.js';
import type { Inherited } from './inherit.js';
import { resolveLoop, loopVars, withItemKeys, withLoopControl } from './loop.js';
import { appliedResult, cannotVerify, censor, loopResult, planResult, statusOf, withOutputLines, type Result } from './result.js';
import { maskSecrets } from '../vault/mask.js';
import type { ConnectionKeywords, RunOptions } from './types.js';
import { dropOmitted } from './vars.js';
import { noteUnsafeArgs } from './hostData.js';

export interface TaskEnv {
  templar: Templar;
  opts: RunOptions;
  emit: EventSink;
  varsFor(host: HostState, inh: Inherited, taskVars?: Record<string, unknown>): Record<string, unknown>;
  connectionFor(hostName: string, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Connection>;
  factsFor(host: HostState, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Record<string, unknown>>;
  searchDirs(inh: Inherited, task: TaskNode): string[];
  /** True once the run is being interrupted: nothing new starts on a host. */
  stopping(): boolean;
}

/** A boolean keyword's value, templated; anything but one of Ansible's boolean spellings is an error. */
export function boolOf(templar: Templar, v: unknown, vars: Record<string, unknown>, dflt: boolean, keyword: string, loc?: SourceLocation): boolean {
  if (v === undefined || v === null) return dflt;
  const r = typeof v === 'string' ? templar.render(v, vars) : v;
  const b = toBool(r);
  if (b !== undefined) return b;
  const { message, hint } = notABoolean(keyword, r);
  throw new KelpieError('config', typeof v === 'string' && v !== r ? `${message} (from '${v}')` : message, { hint, ...(loc ? { loc } : {}) });
}

/** A keyword's or variable's text for rendering; a host-derived value stays boxed, so it is not rendered. */
function templateText(v: unknown): string | UnsafeText {
  return v instanceof UnsafeText ? v : String(v);
}

function becomeSpec(env: TaskEnv, inh: Inherited, vars: Record<string, unknown>): BecomeSpec | undefined {
  const t = env.templar;
  const on = boolOf(t, inh.become ?? vars.ansible_become, vars, false, inh.become !== undefined ? 'become' : 'ansible_become');
  if (!on) return undefined;
  const user = String(t.render(templateText(inh.becomeUser ?? vars.ansible_become_user ?? 'root'), vars));
  const method = String(t.render(templateText(inh.becomeMethod ?? vars.ansible_become_method ?? 'sudo'), vars));
  if (method !== 'sudo' && method !== 'su') throw new KelpieError('config', `become_method '${method}' is not supported (use sudo or su)`);
  const pw = vars.ansible_become_password ?? vars.ansible_become_pass ?? env.opts.becomePassword;
  return { method, user, ...(pw !== undefined ? { password: String(t.render(templateText(pw), vars)) } : {}) };
}

function environmentOf(env: TaskEnv, inh: Inherited, vars: Record<string, unknown>): Record<string, string> | undefined {
  if (!inh.environment.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of inh.environment) {
    const v = env.templar.render(typeof e === 'string' ? e : (env.templar.renderDeep(e, vars) as never), vars);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  }
  return out;
}

function errorMessage(e: unknown, verbosity: number): string {
  if (e instanceof KelpieError) return e.format();
  if (e instanceof Error) return verbosity >= 3 && e.stack ? e.stack : e.message;
  return String(e);
}

interface Prepared {
  module: AnyModule;
  secrets: string[];
  /** no_log: the task's results, items, diffs, warnings and -vvv lines are not shown. */
  noLog: boolean;
}

/** One execution of the module with fully templated vars (one loop item, one retry). */
/** The task's arguments rendered; an undefined variable in them fails in Ansible's words. */
function renderArgs(t: Templar, task: TaskNode, vars: Record<string, unknown>, onHostData: (key: string | undefined) => void, templateNames?: boolean): unknown {
  try {
    return t.renderDeep(task.args, vars, task.loc, onHostData, templateNames);
  } catch (e) {
    const undef = undefinedCause(e);
    if (!undef) throw e;
    const loc = e instanceof KelpieError ? (e.loc ?? task.loc) : task.loc;
    throw new KelpieError('template', `The task includes an option with an undefined variable. The error was: ${ansibleUndefinedText(undef)}`, { loc, cause: e });
  }
}

async function runModuleOnce(
  env: TaskEnv,
  task: TaskNode,
  inh: Inherited,
  host: HostState,
  vars: Record<string, unknown>,
  prep: Prepared,
): Promise<Result> {
  const t = env.templar;
  const { module } = prep;
  const lacking = module.anyArgs ? undefined : unimplementedArgument(task.action, module.args, Object.keys(task.args));
  if (lacking) return { failed: true, changed: false, msg: new KelpieError('module', notImplementedMessage(task.action, lacking), { loc: task.argLocs[lacking] ?? task.loc }).format() };
  const fromHost = new Set<string>();
  let raw = dropOmitted(renderArgs(t, task, vars, (key) => key !== undefined && fromHost.add(key), module.templatedNames)) as Record<string, unknown>;
  if (module.freeForm && module.freeForm !== '_raw_params' && raw._raw_params !== undefined) {
    raw = { ...raw, [module.freeForm]: raw._raw_params };
    delete raw._raw_params;
  }
  // set_fact and add_host take any names: only the ones their spec knows are validated
  const { args: valid, problems } = validateArgs(module.args, module.anyArgs ? knownArgs(module.args, raw) : raw);
  const failure = argumentFailure(problems);
  if (failure !== undefined) return { failed: true, changed: false, msg: failure };
  const args: Record<string, unknown> = module.anyArgs ? { ...raw, ...valid } : valid;
  for (const k of secretArgs(module.args)) if (typeof raw[k] === 'string') prep.secrets.push(raw[k] as string);
  const problem = module.check?.(args);
  if (problem) return { failed: true, changed: false, msg: problem };


  const diffMode = boolOf(t, inh.diff, vars, env.opts.diffMode, 'diff');
  const delegate = inh.delegateTo !== undefined ? String(t.render(String(inh.delegateTo), vars)) : undefined;
  const target = delegate ?? host.name;
  const connKw: ConnectionKeywords = {
    ...(inh.connection !== undefined ? { connection: String(t.render(String(inh.connection), vars)) } : {}),
    ...(inh.remoteUser !== undefined ? { remoteUser: String(t.render(String(inh.remoteUser), vars)) } : {}),
  };
  const checkMode = boolOf(t, inh.checkMode, vars, env.opts.checkMode, 'check_mode');
  const job = asyncJob(t, task, vars);
  const refusal = job && asyncRefusal(job, task.action, checkMode, task.keyLocs.async ?? task.loc);
  if (refusal) return { failed: true, changed: false, msg: refusal };
  const background = job && BACKGROUND_ACTIONS.has(task.action) ? job : undefined;
  const keywordTimeout = inh.timeout !== undefined ? Number(t.render(String(inh.timeout), vars)) * 1000 : undefined;
  // a module kelpie cannot put in the background runs in the session, with the async limit
  const timeout = job && !background ? Math.min(job.seconds * 1000, keywordTimeout ?? Infinity) : keywordTimeout;
  const ctx = new HostContext({
    host: host.name,
    vars,
    diffMode,
    ...(checkMode ? { simulatedInstalls: [...host.checkInstalls] } : {}),
    verbosity: env.opts.verbosity,
    connection: () => env.connectionFor(target, vars, connKw),
    become: becomeSpec(env, inh, vars),
    environment: environmentOf(env, inh, vars),
    searchDirs: env.searchDirs(inh, task),
    render: (text, v, path, opts) =>
      t.renderString(text, v, path ? { file: path, line: 1, col: 1 } : undefined, { ...opts, ...(path ? { includeDirs: templateIncludeDirs(path, env.searchDirs(inh, task)) } : {}) }),
    evaluate: (expr, v) => t.evaluate(expr, v, task.loc),
    template: (text, v) => t.render(text, v, task.loc),
    facts: () => env.factsFor(host, vars, connKw),
    stopping: () => env.stopping(),
    // a no_log task's warnings go with its censored result, as in Ansible; its -vvv lines too
    log: {
      debug: (m) => prep.noLog || env.emit({ type: 'debug', message: maskSecrets(m, prep.secrets), host: host.name, level: 3 }),
      warn: (m) => prep.noLog || env.emit({ type: 'warning', message: maskSecrets(m, prep.secrets), host: host.name }),
    },
    timeoutMs: timeout,
    ...(background ? { job: background } : {}),
  });
  // what Ansible's action base adds to the result of a module run on the host (not to an action run on the controller)
  const onHost = (r: Result): Result => (module.controllerOnly ? r : withOutputLines(r));
  const finishedInSession = async (j: AsyncJob, r: Result): Promise<Result> => {
    if (!background) await storeJob(j, (c, o) => ctx.exec(c, o), withStatusKeys(r));
    return finishedJob(j, r);
  };
  try {
    let plan = await planInMode(module, planView(ctx), args, checkMode);
    if (plan.kind === 'fail' && checkMode && !module.controllerOnly && (host.checkChanges > 0 || plan.afterOwnChange)) {
      // The one place check mode turns a failure into 'cannot verify': an earlier task (or
      // this task's own first step, such as apt's cache update) would have changed this host,
      // so what the plan found may not be what the real run will find (a file, a group, a
      // service or a package that only the simulated change would bring).
      const cause = plan.afterOwnChange ?? 'changes earlier tasks would make';
      plan = { kind: 'unknown', reason: `depends on ${cause} (now: ${plan.msg})`, ...(plan.result ? { result: plan.result } : {}) };
    }
    // set_fact and add_host store their arguments: those rendered from host data stay host data
    const stored = plan.result?._kelpie_set_fact ? plan.result.ansible_facts : (plan.result?.add_host as { host_vars?: unknown } | undefined)?.host_vars;
    if (stored && typeof stored === 'object') noteUnsafeArgs(stored, fromHost);
    if (plan.kind === 'change' && checkMode && plan.installs) host.checkInstalls.push(...plan.installs);
    if ((plan.kind === 'change' || plan.kind === 'unknown') && !checkMode && module.apply) {
      const applied = await module.apply(ctx, args, 'data' in plan ? plan.data : undefined, plan);
      const result = onHost(appliedResult(plan, applied));
      return job ? await finishedInSession(job, result) : result;
    }
    const result = onHost(planResult(plan, checkMode));
    if (job) return await finishedInSession(job, result);
    if (plan.kind === 'skip' && plan.byAction) skippedByAction.add(result);
    return result;
  } catch (e) {
    if (job && (e instanceof CommandTimeoutError || e instanceof JobTimedOut)) return timedOutJob(job);
    if (job && e instanceof JobStarted) return startedJob(job);
    throw e;
  } finally {
    await ctx.cleanup().catch(() => undefined);
  }
}

/** Results of a skip by Ansible's action plugin, which its executor returns without status keys. */
const skippedByAction = new WeakSet<Result>();

/**
 * Every result a module returns carries `failed` and `changed`, as Ansible sets them before
 * changed_when/failed_when and registering (`failed` from a non-zero `rc` when absent).
 */
function withStatusKeys(r: Result): Result {
  if (r.unreachable || skippedByAction.has(r)) return r;
  const out = { ...r };
  if (!('failed' in out)) out.failed = 'rc' in out && out.rc !== 0 && out.rc !== '0';
  if (!('changed' in out)) out.changed = false;
  return out;
}

function evalConds(env: TaskEnv, conds: unknown[] | undefined, vars: Record<string, unknown>, task: TaskNode): boolean {
  if (!conds || !conds.length) return true;
  return env.templar.evaluateConditional(conds, vars, task.loc);
}

/**
 * changed_when, then failed_when, as Ansible's executor applies them: a condition Jinja cannot
 * parse fails the task, its error kept in `changed_when_result` or `failed_when_result` beside
 * the module's result (failed_when is not evaluated after a changed_when that failed so).
 */
function judgeResult(env: TaskEnv, task: TaskNode, result: Result, withResult: (r: Result) => Record<string, unknown>): Result {
  let r = result;
  let which = 'changed';
  try {
    if (task.changedWhen !== undefined) r = { ...r, changed: evalConds(env, task.changedWhen, withResult(r), task) };
    which = 'failed';
    if (task.failedWhen !== undefined) {
      const failed = env.templar.evaluateConditional(task.failedWhen, withResult(r), task.loc);
      r = { ...r, failed, failed_when_result: failed };
    }
    return r;
  } catch (e) {
    const refused = conditionSyntaxError(e);
    if (!refused) throw e;
    return { ...r, failed: true, [`${which}_when_result`]: refused.message };
  }
}

/** One item: module + until/retries + changed_when/failed_when. */
async function runItem(env: TaskEnv, task: TaskNode, inh: Inherited, host: HostState, vars: Record<string, unknown>, prep: Prepared): Promise<Result> {
  const t = env.templar;
  const retries = task.until ? Math.max(0, Number(t.render(String(task.retries ?? 3), vars))) : 0;
  const delay = task.until ? Number(t.render(String(task.delay ?? 5), vars)) : 0;
  let attempt = 0;
  for (;;) {
    attempt++;
    let r = withStatusKeys(await runModuleOnce(env, task, inh, host, vars, prep));
    // the result is host data: conditions read it, never render what is inside it
    const withResult = (res: Result): Record<string, unknown> => (task.register ? { ...vars, [task.register]: markUnsafe({ ...res }) } : vars);
    // Ansible judges only a result without a `skipped` key: a command check mode skipped is
    // not failed by a condition on the output it never had
    const judged = !r.unreachable && !('skipped' in r);
    if (judged) r = judgeResult(env, task, r, withResult);
    if (!task.until || env.stopping()) return r;
    // Ansible evaluates `until` on every result, a failed one too (async_status of a failed job)
    const ok = evalConds(env, task.until, task.register ? withResult(r) : { ...vars, ...unsafeLayer(r) }, task);
    if (ok || attempt > retries) {
      // out of retries, Ansible reports `retries` attempts (it ran one more)
      r = { ...r, attempts: ok ? attempt : retries };
      if (!ok) r = { ...r, failed: true };
      return r;
    }
    await new Promise((res) => setTimeout(res, delay * 1000));
  }
}

export function makeTaskRef(task: TaskNode, name: string, play: string, isHandler: boolean): TaskRef {
  return { id: task.id, name, action: task.action, file: task.file, line: task.loc.line, isHandler, play };
}

/** One host's outcome: what the output may show (no_log censored, secrets masked) and the real result. */
export interface HostRun {
  shown: TaskHostResult;
  raw: Result;
}

/** Runs a task on one host and returns the host's (possibly loop-aggregated) result. */
export async function runTaskOnHost(env: TaskEnv, ref: TaskRef, task: TaskNode, inh: Inherited, host: HostState): Promise<HostRun> {
  const started = Date.now();
  const module = getModule(task.action);
  const prep: Prepared = { module: module!, secrets: [], noLog: false };
  const noLogOf = (vars: Record<string, unknown>): boolean => boolOf(env.templar, inh.noLog, vars, false, 'no_log');
  const vars: Record<string, unknown> = env.varsFor(host, inh, task.vars);
  let result: Result;
  let noLog = false;
  let ignoreErrors = false;
  try {
    if (env.stopping()) throw new InterruptedError('interrupted before the task started on this host');
    noLog = prep.noLog = noLogOf(vars);
    ignoreErrors = boolOf(env.templar, inh.ignoreErrors, vars, false, 'ignore_errors', task.loc);
    if (!module) throw new KelpieError('config', `unknown module '${task.action}'`, { loc: task.loc });
    const conds = [...inh.when];
    if (task.loop) {
      const loop = withLoopControl(env.templar, task.loop, vars, task.loc);
      const items = resolveLoop(env.templar, loop, vars, task.loc, env.searchDirs(inh, task));
      const results: Result[] = [];
      // set_fact in a loop: each item sees the facts the items before it set, as in Ansible
      let carried: Record<string, unknown> = {};
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const itemVars = { ...vars, ...carried, ...loopVars(loop, item, i, items) };
        let r: Result;
        if (!evalConds(env, conds, itemVars, task)) r = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        else r = await runItem(env, task, inh, host, itemVars, prep);
        if (r._kelpie_set_fact && r.ansible_facts && typeof r.ansible_facts === 'object') carried = { ...carried, ...(r.ansible_facts as Record<string, unknown>) };
        r = withItemKeys(r, loop, item, i, itemVars);
        results.push(r);
        // a no_log item is shown as None, as Ansible prints `(item=None)`
        const label = noLog ? null : maskSecrets(loop.label !== undefined ? env.templar.render(String(loop.label), itemVars) : item, prep.secrets);
        const shown = noLog ? censor(r) : maskSecrets(r, prep.secrets);
        env.emit({
          type: 'item_result',
          task: ref,
          result: { host: host.name, status: statusOf(r), result: shown, item: label, durationMs: 0, ...(!noLog && r.diff ? { diff: maskSecrets(r.diff, prep.secrets) as never } : {}) },
        });
        if (r.unreachable || env.stopping()) break;
      }
      result = loopResult(results);
    } else if (!evalConds(env, conds, vars, task)) {
      result = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
    } else {
      result = await runItem(env, task, inh, host, vars, prep);
    }
  } catch (e) {
    if (e instanceof InterruptedError || (env.stopping() && !(e instanceof ConnectError))) result = { failed: true, changed: false, msg: e instanceof InterruptedError ? e.message : `interrupted: ${errorMessage(e, env.opts.verbosity)}` };
    else if (e instanceof ConnectError) result = { unreachable: true, changed: false, msg: e.format() };
    // errors of the task itself (templating, loops) carry no `changed`, as in Ansible
    else if (e instanceof KelpieError) result = { failed: true, msg: e.at(task.loc).format() };
    else result = { failed: true, msg: errorMessage(e, env.opts.verbosity) };
  }
  // registered output is data from the host: never rendered as a template later
  if (task.register) host.hostFacts[task.register] = markUnsafe(result);
  const status = statusOf(result);
  const ignored = status === 'failed' && ignoreErrors;
  const shown = noLog ? censor(result) : maskSecrets(result, prep.secrets);
  const diff = !noLog && !task.loop && Array.isArray(result.diff) ? maskSecrets(result.diff as TaskHostResult['diff'], prep.secrets) : undefined;
  return {
    raw: result,
    shown: {
      host: host.name,
      status,
      result: shown,
      durationMs: Date.now() - started,
      ...(ignored ? { ignored } : {}),
      ...(env.stopping() && result.failed ? { interrupted: true } : {}),
      ...(diff ? { diff } : {}),
      ...(cannotVerify(result) ? { checkUnknown: true } : {}),
    },
  };
}
