/**
 * A host's result, applied to the run: facts and set_fact, fetched files, add_host and
 * group_by, the host's stats and state (failed, unreachable, rescue), notified handlers;
 * then emitted as that host's host_result.
 */
import { isDeepStrictEqual } from 'node:util';
import { getModule } from '../modules/registry.js';
import type { TaskRef } from '../output/events.js';
import type { TaskNode } from '../playbook/model.js';
import { markUnsafe } from '../template/index.js';
import type { PlayEnv } from './env.js';
import { varsToStore } from './hostData.js';
import type { HostState } from './hostState.js';
import type { Inherited } from './inherit.js';
import { boolOf, type HostRun } from './task.js';

/** The facts one result (or loop item) sets on a host: set_fact's variables, or gathered facts. */
function applyFacts(task: TaskNode, host: HostState, part: Record<string, unknown>): void {
  const facts = part.ansible_facts as Record<string, unknown> | undefined;
  if (!facts || typeof facts !== 'object' || part.failed || part.skipped) return;
  if (part._kelpie_set_fact) {
    Object.assign(host.hostFacts, varsToStore(facts));
    // cacheable: Ansible sets them as facts too (its fact cache), below the same set_fact variables
    if (part._kelpie_facts_cacheable) host.setNamedFacts(facts);
  }
  else if (part._kelpie_include_vars) Object.assign(host.includedVars, varsToStore(facts));
  else {
    host.setFacts(facts);
    if (task.action === 'setup') host.factsGathered = true;
  }
}

/**
 * `factsTo`: the hosts the result's facts go to; the host itself unless run_once (every
 * host of the play) or delegate_facts (the delegated host) says otherwise, as in Ansible.
 */
export function recordHostResult(env: PlayEnv, task: TaskNode, inh: Inherited, ref: TaskRef, host: HostState, run: HostRun, factsTo: readonly HostState[] = [host]): void {
  const r = run.shown;
  if (r.interrupted) {
    // reported as it ended, but neither ok nor failed: the run stopped it, not the host
    env.emit({ type: 'host_result', task: ref, result: r });
    return;
  }
  const res = r.result;
  // Facts and inventory changes come from the real result (a no_log task's shown one is
  // censored); a loop's come from each item in order (set_fact in a loop: the last item wins).
  const parts = Array.isArray(run.raw.results) ? (run.raw.results as Record<string, unknown>[]) : [run.raw];
  const fetches = getModule(task.action)?.name === 'fetch';
  for (const part of parts) {
    for (const to of factsTo) applyFacts(task, to, part);
    if (fetches && typeof part.dest === 'string') env.runEnv.fetchedFiles.add(part.dest);
    if (applyInventoryChanges(env, host, part) && !part.failed) {
      // Ansible reports group_by/add_host changed when the inventory actually changed
      part.changed = true;
      res.changed = true;
      if (task.register) (host.hostFacts[task.register] as Record<string, unknown>).changed = true;
      if (r.status === 'ok') r.status = 'changed';
    }
  }
  for (const part of [...parts, ...(Array.isArray(res.results) ? (res.results as Record<string, unknown>[]) : [res])]) {
    delete part._kelpie_set_fact;
    delete part._kelpie_facts_cacheable;
    delete part._kelpie_include_vars;
  }
  const s = host.stats;
  switch (r.status) {
    case 'ok':
      s.ok++;
      break;
    case 'changed':
      s.ok++;
      s.changed++;
      if (env.opts.checkMode) host.checkChanges++;
      break;
    case 'skipped':
      s.skipped++;
      break;
    case 'unreachable':
      if (boolOf(env.templar, inh.ignoreUnreachable, env.playVars, false, 'ignore_unreachable', task.loc)) {
        // as Ansible counts an ignored unreachable host
        s.ok++;
        s.ignored++;
      } else {
        s.unreachable++;
        host.unreachable = true;
      }
      break;
    case 'failed':
      if (r.ignored) {
        s.ok++;
        s.ignored++;
        if (res.changed) s.changed++;
      } else {
        host.hostFacts.ansible_failed_task = { name: ref.name, action: task.action, file: task.file, line: task.loc.line };
        host.hostFacts.ansible_failed_result = markUnsafe(res);
        host.failed = true;
        if (inh.rescueDepth > 0) host.pendingRescue = true;
        else s.failed++;
      }
      break;
  }
  env.emit({ type: 'host_result', task: ref, result: r });
  if (r.status === 'changed' && task.notify?.length) env.handlers.notify(host, task.notify, task, ref);
}

/** Applies group_by/add_host results; true when a group or a membership is new. */
function applyInventoryChanges(env: PlayEnv, host: HostState, res: Record<string, unknown>): boolean {
  const inv = env.opts.inventory;
  let changed = false;
  if (typeof res.add_group === 'string') {
    const parents = (res.parent_groups as string[] | undefined) ?? [];
    const known = new Set(inv.groupNames());
    changed = parents.some((p) => !known.has(p)) || !inv.groupsMap()[res.add_group]?.includes(host.name);
    inv.addGroup(res.add_group, parents);
    inv.addHostToGroup(host.name, res.add_group);
    env.runEnv.inventoryChanged();
  }
  const add = res.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
  if (add) {
    const groups = inv.groupsMap();
    const known = inv.hasHost(add.host_name) ? inv.hostVars(add.host_name) : undefined;
    changed =
      !known ||
      add.groups.some((g) => !groups[g]?.includes(add.host_name)) ||
      Object.entries(add.host_vars).some(([k, v]) => !isDeepStrictEqual(known[k], v));
    inv.addHost(add.host_name, add.groups, varsToStore(add.host_vars));
    env.runEnv.inventoryChanged();
  }
  return changed;
}
