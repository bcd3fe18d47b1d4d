/**
 * include_tasks, as Ansible runs it: the task itself has a result on each host (`include`,
 * `include_args`; a loop's per item; skipped when `when:` is false), then every file it names
 * is loaded, and only then do the loaded tasks run. A file that is not there fails the hosts
 * that include it (ignore_errors does not apply: Ansible fails them while loading, not in
 * the task). Each file loaded counts as one `ok` in the recap, the task's own row does not.
 */
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { KelpieError } from '../errors.js';
import type { TaskHostResult, TaskRef } from '../output/events.js';
import { loadTaskFile } from '../playbook/index.js';
import type { Node, TaskNode } from '../playbook/model.js';
import { markUnsafe } from '../template/index.js';
import type { PlayEnv } from './env.js';
import type { HostState } from './hostState.js';
import { deeperInclude } from './includeChain.js';
import { inherit, type Inherited } from './inherit.js';
import { loopVars, resolveLoop, withItemKeys, withLoopControl } from './loop.js';
import { loopResult, statusOf, type Result } from './result.js';
import { boolOf, makeTaskRef } from './task.js';

export function loadOptions(env: PlayEnv): { rolesPath?: string[]; playbookDir: string } {
  return { ...(env.opts.rolesPath ? { rolesPath: env.opts.rolesPath } : {}), playbookDir: env.play.dir };
}

export function fileArg(env: PlayEnv, task: TaskNode, vars: Record<string, unknown>): string {
  const raw = task.args.file ?? task.args._raw_params ?? task.args.name;
  if (raw === undefined) throw new KelpieError('config', `${task.action} needs a file name`, { loc: task.loc });
  return String(env.templar.render(String(raw), vars, task.loc)).trim();
}

/** One file included for some hosts (with one loop item): they run it together, in lockstep. */
interface Inclusion {
  index: number;
  path: string;
  itemVars: Record<string, unknown> | undefined;
  /** how its `included:` line names the item: loop_control.label, else the item */
  label: unknown;
  hosts: HostState[];
  nodes?: readonly Node[];
}

export const SKIPPED: Result = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };

export async function includeTasks(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  const inclusions = new Map<string, Inclusion>();
  const add = (pass: IncludedPass, path: string, h: HostState): void => {
    const { index, itemVars, label } = pass;
    const key = `${index}\u0000${path}\u0000${JSON.stringify(itemVars?.[String(itemVars.ansible_loop_var ?? 'item')] ?? null)}`;
    const inc = inclusions.get(key) ?? { index, path, itemVars, label, hosts: [] };
    inc.hosts.push(h);
    inclusions.set(key, inc);
  };
  const includeArgs = { ...task.args };
  delete includeArgs.file;
  delete includeArgs._raw_params;
  /** The task's result for one host (or one loop item): the file as named, and where it is. */
  const include = (vars: Record<string, unknown>): { result: Result; path: string } => {
    const named = fileArg(env, task, vars);
    const base = inh.role && !named.includes('/') ? join(inh.role.path, 'tasks') : dirname(task.file);
    return { result: { include: named, include_args: { ...includeArgs } }, path: isAbsolute(named) ? named : join(base, named) };
  };

  const ref = makeTaskRef(task, env.displayName(task, inh, hosts[0]), env.play.name, false);
  env.emit({ type: 'task_start', task: ref, hosts: hosts.map((h) => h.name) });
  for (const h of hosts) {
    const vars = env.varsFor(h, inh, task.vars);
    const row = includeRow(env, task, inh, ref, h, vars, (scope) => include(scope).result);
    for (const pass of row.included) add(pass, include(pass.scope).path, h);
    const result = row.result;
    showRow(env, task, inh, ref, h, result, vars);
  }
  env.emit({ type: 'task_end', task: ref });

  // Every file is loaded before any of them runs; a host that includes a missing one fails.
  const ordered = [...inclusions.values()].sort((a, b) => a.index - b.index);
  const failing = new Set<HostState>();
  for (const inc of ordered) {
    if (await access(inc.path).then(() => true, () => false)) continue;
    env.emit({ type: 'task_start', task: ref, hosts: inc.hosts.map((h) => h.name) });
    for (const h of inc.hosts) {
      failing.add(h);
      const reason = { failed: true, reason: `Could not find or access '${inc.path}' on the Ansible Controller.` };
      env.emit({ type: 'host_result', task: ref, result: { host: h.name, status: 'failed', result: reason, durationMs: 0 } });
      // counted as failed even when a rescue handles it (and then not as rescued), as Ansible does
      h.stats.failed++;
      h.failed = true;
      if (inh.rescueDepth > 0) h.pendingRescue = 'uncounted';
    }
    env.emit({ type: 'task_end', task: ref });
  }
  const includeChain = deeperInclude(inh.includeChain, task.loc);
  for (const inc of ordered) {
    inc.hosts = inc.hosts.filter((h) => !failing.has(h));
    if (!inc.hosts.length) continue;
    // a broken file is the include task's error: point at the task
    inc.nodes = await loadTaskFile(inc.path, { ...(inh.role ? { role: inh.role } : {}) }, loadOptions(env)).catch((e: unknown) => {
      throw e instanceof KelpieError ? e.at(task.loc) : e;
    });
    for (const h of inc.hosts) h.stats.ok++;
    env.emit({ type: 'included', task: ref, file: inc.path, hosts: inc.hosts.map((h) => h.name), ...(inc.itemVars ? { item: inc.label } : {}) });
  }
  for (const inc of ordered) {
    if (!inc.nodes) continue;
    const layers = [...inh.vars, ...(task.vars ? [task.vars] : []), ...(inc.itemVars ? [inc.itemVars] : [])];
    const child: Inherited = { ...inh, when: [], vars: layers, includeParams: { ...(inh.includeParams ?? {}), ...includeArgs }, includeChain };
    // `apply:` keywords hold for every included task, as a block's would
    await env.runNodes(inc.nodes, task.apply ? inherit(child, task.apply) : child, inc.hosts);
  }
}

/** One pass of an include task on a host: the first, or a loop item's (with its variables). */
export interface IncludedPass {
  index: number;
  itemVars: Record<string, unknown> | undefined;
  /** a loop item's label (loop_control.label, else the item) */
  label?: unknown;
  /** the host's variables for this pass */
  scope: Record<string, unknown>;
}

/**
 * An include task's row for one host, `rowOf` giving an included pass's result: skipped when
 * `when:` is false, per item in a loop (each item's line emitted), a failure when its file
 * name, loop or condition cannot be evaluated. The passes are known only once the whole row is.
 */
export function includeRow(
  env: PlayEnv,
  task: TaskNode,
  inh: Inherited,
  ref: TaskRef,
  h: HostState,
  vars: Record<string, unknown>,
  rowOf: (scope: Record<string, unknown>) => Result,
): { result: Result; included: IncludedPass[] } {
  const included: IncludedPass[] = [];
  try {
    if (!task.loop) {
      if (!env.templar.evaluateConditional(inh.when, vars, task.loc)) return { result: { ...SKIPPED }, included };
      const result = { ...rowOf(vars), changed: false };
      return { result, included: [{ index: 0, itemVars: undefined, scope: vars }] };
    }
    const loop = withLoopControl(env.templar, task.loop, vars, task.loc);
    const items = resolveLoop(env.templar, loop, vars, task.loc, env.searchDirs(inh, task));
    const results = items.map((item, i) => {
      const itemVars = loopVars(loop, item, i, items);
      const scope = { ...vars, ...itemVars };
      // its lines name the item as loop_control.label says, as for any looped task
      const label = loop.label !== undefined ? env.templar.render(String(loop.label), scope, task.loc) : item;
      let r = { ...SKIPPED };
      if (env.templar.evaluateConditional(inh.when, scope, task.loc)) {
        r = rowOf(scope);
        included.push({ index: i, itemVars, scope, label });
      }
      r = withItemKeys(r, loop, item, i, scope);
      env.emit({ type: 'item_result', task: ref, result: { host: h.name, status: statusOf(r), result: r, item: label, durationMs: 0 } });
      return r;
    });
    return { result: loopResult(results), included };
  } catch (e) {
    if (!(e instanceof KelpieError)) throw e;
    return { result: { failed: true, msg: e.at(task.loc).format() }, included: [] };
  }
}

/**
 * An include task's own row: registered and shown. A skipped or failed one counts in the
 * recap like any task's; an included one does not (include_tasks' files count when they load).
 */
export function showRow(env: PlayEnv, task: TaskNode, inh: Inherited, ref: TaskRef, h: HostState, result: Result, vars: Record<string, unknown>): void {
  if (task.register) h.hostFacts[task.register] = markUnsafe({ ...result });
  const status = statusOf(result);
  const ignored = status === 'failed' && boolOf(env.templar, inh.ignoreErrors, vars, false, 'ignore_errors', task.loc);
  const shown: TaskHostResult = { host: h.name, status, result, durationMs: 0, ...(ignored ? { ignored } : {}) };
  if (status === 'ok') env.emit({ type: 'host_result', task: ref, result: shown });
  else env.record(task, inh, ref, h, { shown, raw: result });
}
