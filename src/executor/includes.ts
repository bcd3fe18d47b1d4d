/**
 * The actions that change the run itself rather than a host: meta, include_vars,
 * include_tasks/import_tasks and include_role/import_role, loaded and run as they are reached.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { readdir, readFile, stat } from 'node:fs/promises';
import { KelpieError } from '../errors.js';
import { toBool } from '../modules/argspec.js';
import { notImplementedMessage } from '../modules/ansibleArgs.js';
import { loadRole, type RoleFrom } from '../playbook/index.js';
import type { TaskNode } from '../playbook/model.js';
import { unsafeLayer } from '../template/index.js';
import { decodeUtf8, loadYaml11 } from '../yaml11.js';
import type { PlayEnv } from './env.js';
import type { HostState } from './hostState.js';
import { deeperInclude } from './includeChain.js';
import { fileArg, includeRow, includeTasks, loadOptions, showRow, type IncludedPass } from './includeTasks.js';
import { inherit, rootInherited, type Inherited } from './inherit.js';
import { boolOf, makeTaskRef } from './task.js';

/** The actions includes.ts runs (the strategy hands them over instead of running a module). */
export const RUN_ACTIONS: ReadonlySet<string> = new Set(['meta', 'include_tasks', 'include_role', 'include_vars', 'import_role', 'import_tasks']);

/** Runs one of RUN_ACTIONS for the hosts still active. */
export async function runPlayAction(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  const live = hosts.filter((h) => h.active);
  switch (task.action) {
    case 'meta':
      return runMeta(env, task, inh, live);
    case 'include_vars':
      return includeVars(env, task, inh, live);
    case 'include_tasks':
    case 'import_tasks':
      return includeTasks(env, task, inh, live);
    case 'include_role':
    case 'import_role':
      return includeRole(env, task, inh, live);
  }
}

async function runMeta(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  const what = String(task.args._raw_params ?? task.args.free_form ?? '').trim();
  const whenOk = (h: HostState): boolean => !inh.when.length || env.templar.evaluateConditional(inh.when, env.varsFor(h, inh, task.vars), task.loc);
  switch (what) {
    case 'flush_handlers':
      return env.flushHandlers(env.batch);
    case 'end_play':
      if (hosts.some(whenOk)) env.endPlay();
      return;
    case 'end_host':
      for (const h of hosts.filter(whenOk)) h.endedPlay = true;
      return;
    case 'end_batch':
      if (hosts.some(whenOk)) for (const h of env.batch) h.endedPlay = true;
      return;
    case 'clear_facts':
      for (const h of hosts.filter(whenOk)) {
        h.clearFacts();
        h.hostFacts = {};
      }
      return;
    case 'clear_host_errors':
      for (const h of env.batch) if (!h.unreachable) h.failed = false;
      return;
    case 'reset_connection':
      for (const h of hosts) await env.runEnv.resetConnection(h.name);
      return;
    case 'noop':
    case 'refresh_inventory':
      return;
    default:
      throw new KelpieError('config', `unknown meta action '${what}'`, { loc: task.loc, hint: 'one of flush_handlers, end_play, end_host, end_batch, clear_facts, clear_host_errors, reset_connection, noop' });
  }
}

async function includeVars(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  const ref = makeTaskRef(task, env.displayName(task, inh, hosts[0]), env.play.name, false);
  env.emit({ type: 'task_start', task: ref, hosts: hosts.map((h) => h.name) });
  for (const h of hosts) {
    const vars = env.varsFor(h, inh, task.vars);
    if (!env.templar.evaluateConditional(inh.when, vars, task.loc)) {
      const skipped = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
      env.record(task, inh, ref, h, { shown: { host: h.name, status: 'skipped', result: skipped, durationMs: 0 }, raw: skipped });
      continue;
    }
    const result = await loadVarsFor(env, task, inh, vars);
    const status = result.failed ? 'failed' : 'ok';
    const ignored = status === 'failed' && boolOf(env.templar, inh.ignoreErrors, vars, false, 'ignore_errors', task.loc);
    env.record(task, inh, ref, h, { shown: { host: h.name, status, result: { ...result }, durationMs: 0, ...(ignored ? { ignored } : {}) }, raw: result });
  }
  env.emit({ type: 'task_end', task: ref });
}

/** include_vars for one host: Ansible's result, the variables in `ansible_facts` (applied like set_fact). */
async function loadVarsFor(env: PlayEnv, task: TaskNode, inh: Inherited, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const failed = (message: string): Record<string, unknown> => ({ ansible_facts: {}, ansible_included_var_files: [], changed: false, failed: true, message });
  const render = (v: unknown): string => String(env.templar.render(String(v), vars, task.loc)).trim();
  const bases = [...(inh.role ? [join(inh.role.path, 'vars')] : []), join(dirname(task.file), 'vars'), dirname(task.file), join(env.play.dir, 'vars'), env.play.dir];
  const find = async (rel: string, isDir: boolean): Promise<string | undefined> => {
    for (const c of isAbsolute(rel) ? [rel] : bases.map((b) => join(b, rel))) {
      try {
        const st = await stat(c);
        if (st.isDirectory() === isDir) return c;
      } catch {
        // not there: the next candidate
      }
    }
    return undefined;
  };
  let files: string[];
  if (task.args.dir !== undefined) {
    const dir = await find(render(task.args.dir), true);
    if (!dir) return failed(`${render(task.args.dir)} directory does not exist`);
    files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
  } else {
    const rel = fileArg(env, task, vars);
    const file = await find(rel, false);
    if (!file) return failed(`Could not find or access '${rel}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
    files = [file];
  }
  const merged: Record<string, unknown> = {};
  for (const file of files) {
    const data = loadYaml11(decodeUtf8(await readFile(file), file), file) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) return failed(`${file} must be stored as a dictionary/hash`);
    // A file fetch brought from a host is that host's data: its values are never templated.
    // (Ansible would template them; kelpie refuses to let a host's file run lookups here.)
    Object.assign(merged, env.runEnv.fetchedFiles.has(file) ? unsafeLayer(data as Record<string, unknown>) : data);
  }
  const holder = task.args.name !== undefined ? render(task.args.name) : undefined;
  return { ansible_facts: holder ? { [holder]: merged } : merged, ansible_included_var_files: files, changed: false, failed: false, _kelpie_include_vars: true };
}

/** include_role's tasks_from, vars_from, defaults_from, handlers_from and rolespec_validate, rendered for this pass. */
function roleFrom(env: PlayEnv, task: TaskNode, scope: Record<string, unknown>): RoleFrom {
  const text = (k: string): string | undefined => {
    const written = task.args[k];
    if (written === undefined) return undefined;
    return String(env.templar.render(typeof written === 'string' ? written : JSON.stringify(written), scope, task.loc));
  };
  const [tasksFrom, varsFrom, defaultsFrom, handlersFrom, validate] = ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'rolespec_validate'].map(text);
  return {
    loc: task.loc,
    ...(tasksFrom ? { tasksFrom } : {}),
    ...(varsFrom ? { varsFrom } : {}),
    ...(defaultsFrom ? { defaultsFrom } : {}),
    ...(handlersFrom ? { handlersFrom } : {}),
    ...(validate !== undefined ? { validate: toBool(validate) !== false } : {}),
  };
}

/**
 * include_role's `public: true` (the role's variables visible to the play after it) and
 * `allow_duplicates: false` are not implemented: a pass that asks for either fails that host's
 * task when it runs, located and naming the argument, instead of running the role otherwise.
 */
function refuseUnimplementedRoleArguments(env: PlayEnv, task: TaskNode, scope: Record<string, unknown>): void {
  const asked = (k: string, meaning: boolean): boolean => {
    const written = task.args[k];
    if (written === undefined) return false;
    const value = typeof written === 'string' ? env.templar.render(written, scope, task.loc) : written;
    return toBool(value) === meaning;
  };
  for (const [arg, meaning] of [['public', true], ['allow_duplicates', false]] as const) {
    if (asked(arg, meaning)) throw new KelpieError('module', `${notImplementedMessage('include_role', arg)} (${arg}: ${String(meaning)})`, { loc: task.argLocs[arg] ?? task.loc });
  }
}

/**
 * include_role: like include_tasks, the task has its own row on each host (the role's
 * arguments as written, or skipped by `when:`), but Ansible never counts an included role
 * as `ok` in the recap.
 */
async function includeRole(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  const rawName = String(task.args.name ?? task.args._raw_params ?? '');
  // Ansible names an unnamed include_role after the role as written, without a role prefix
  const ref = makeTaskRef(task, task.name ? env.displayName(task, inh, hosts[0]) : `${task.actionAs} : ${rawName}`, env.play.name, false);
  env.emit({ type: 'task_start', task: ref, hosts: hosts.map((h) => h.name) });
  // the hosts that include the role in one pass (a loop's item) run it together, items in order
  const passes = new Map<string, IncludedPass & { hosts: HostState[] }>();
  for (const h of hosts) {
    const vars = env.varsFor(h, inh, task.vars);
    const row = includeRow(env, task, inh, ref, h, vars, (scope) => {
      refuseUnimplementedRoleArguments(env, task, scope);
      return { include_args: { ...task.args } };
    });
    for (const pass of row.included) {
      const key = `${pass.index}\u0000${JSON.stringify(pass.itemVars?.[String(pass.itemVars.ansible_loop_var)] ?? null)}`;
      const same = passes.get(key) ?? { ...pass, hosts: [] };
      same.hosts.push(h);
      passes.set(key, same);
    }
    showRow(env, task, inh, ref, h, row.result, vars);
  }
  env.emit({ type: 'task_end', task: ref });
  const includeChain = deeperInclude(inh.includeChain, task.loc);
  for (const pass of [...passes.values()].sort((a, b) => a.index - b.index)) {
    const live = pass.hosts.filter((h) => h.active);
    if (!live.length) continue;
    const name = String(env.templar.render(rawName, pass.scope, task.loc));
    const loaded = await loadRole(name, env.play.dir, loadOptions(env), roleFrom(env, task, pass.scope));
    env.addHandlers(loaded.handlers, (hd) => inherit(rootInherited(env.play), hd, false, loaded.role));
    const layers = [...inh.vars, ...(task.vars ? [task.vars] : []), ...(pass.itemVars ? [pass.itemVars] : [])];
    const child: Inherited = { ...inherit({ ...inh, when: [] }, {}, false, loaded.role), vars: layers, includeChain };
    // `apply:` keywords hold for every task of the role, as a block's would
    await env.runNodes(loaded.tasks, task.apply ? inherit(child, task.apply) : child, live);
  }
}
