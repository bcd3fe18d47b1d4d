/**
 * The strategy: how a batch's hosts go through the play's sections (linear: every host
 * finishes a task before the next starts; free: each host on its own), blocks with
 * rescue/always, and which node runs how (a module task, or one of includes.ts's actions).
 */
import type { BlockNode, Node, TaskNode } from '../playbook/model.js';
import type { PlayEnv } from './env.js';
import type { HostState } from './hostState.js';
import { RUN_ACTIONS, runPlayAction } from './includes.js';
import { inherit, type Inherited } from './inherit.js';
import { tagsAllow } from './tags.js';

/** Runs the play's pre_tasks, tasks and post_tasks for the batch, each followed by its handlers. */
export async function runSections(env: PlayEnv, strategy: string, root: Inherited): Promise<void> {
  for (const section of [env.play.preTasks, env.play.tasks, env.play.postTasks]) {
    if (env.aborted) break;
    if (strategy === 'free') {
      await Promise.all(env.batch.filter((h) => h.active).map((h) => runNodes(env, section, root, [h]).then(() => env.flushHandlers([h]))));
    } else {
      await runNodes(env, section, root, [...env.batch]);
      await env.flushHandlers(env.batch);
    }
  }
}

/** Runs nodes for the hosts that are still active, in lockstep. */
export async function runNodes(env: PlayEnv, nodes: readonly Node[], inh: Inherited, hosts: HostState[]): Promise<void> {
  for (const node of nodes) {
    if (env.aborted) return;
    const live = hosts.filter((h) => h.active);
    if (!live.length) return;
    if (node.kind === 'block') await runBlock(env, node, inh, live);
    else await runTaskNode(env, node, inherit(inh, node, false), live);
  }
}

async function runBlock(env: PlayEnv, block: BlockNode, parent: Inherited, hosts: HostState[]): Promise<void> {
  const inh = inherit(parent, block);
  if (block.rescue.length) inh.rescueDepth = parent.rescueDepth + 1;
  const before = new Set(hosts.filter((h) => !h.active));
  await runNodes(env, block.block, inh, hosts);
  if (block.rescue.length) {
    const toRescue = hosts.filter((h) => h.pendingRescue && !h.unreachable);
    for (const h of toRescue) {
      if (h.pendingRescue !== 'uncounted') h.stats.rescued++;
      h.pendingRescue = false;
      h.failed = false;
    }
    if (toRescue.length) await runNodes(env, block.rescue, { ...inh, rescueDepth: parent.rescueDepth }, toRescue);
  }
  if (block.always.length) {
    // always runs for hosts that failed inside this block too, then they stay failed
    const failedHere = hosts.filter((h) => h.failed && !h.unreachable && !before.has(h));
    for (const h of failedHere) h.failed = false;
    const alwaysInh = { ...inh, rescueDepth: parent.rescueDepth };
    await runNodes(env, block.always, alwaysInh, hosts.filter((h) => !h.unreachable && (h.active || failedHere.includes(h))));
    for (const h of failedHere) h.failed = true;
  }
}

async function runTaskNode(env: PlayEnv, task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
  if (!tagsAllow(inh.tags, env.opts.tags, env.opts.skipTags) && task.action !== 'include_tasks' && task.action !== 'include_role') return;
  if (!env.runEnv.startedAt(task)) return;
  if (RUN_ACTIONS.has(task.action)) return runPlayAction(env, task, inh, hosts);
  await env.runTask(task, inh, hosts, false);
}
