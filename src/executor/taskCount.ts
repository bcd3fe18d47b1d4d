/**
 * How many tasks a play will start, as far as its structure tells before it runs: the live
 * view's `task 7/22`. Static imports are already blocks by now, so they count exactly; what
 * only the run decides makes the count approximate, and the count says why.
 */
import type { Node, Play } from '../playbook/model.js';
import type { TaskCount } from '../output/events.js';
import { tagsAllow } from './tags.js';

/** Actions that start no task of their own (meta acts on the run; the includes start their files' tasks). */
const NO_TASK_START = new Set(['meta', 'include_tasks', 'include_role']);
const DYNAMIC = new Set(['include_tasks', 'include_role']);

export interface CountSelection {
  tags?: readonly string[];
  skipTags?: readonly string[];
  /** --start-at-task, while the run has not reached that task yet */
  startAtTask?: string;
  /** the play starts with Gathering Facts */
  gathers: boolean;
}

export function countPlayTasks(play: Play, sel: CountSelection): TaskCount {
  let total = sel.gathers ? 1 : 0;
  const why = new Set<string>();
  let started = sel.startAtTask === undefined;
  const walk = (nodes: readonly Node[], tags: readonly string[]): void => {
    for (const n of nodes) {
      const t = n.tags?.length ? [...new Set([...tags, ...n.tags])] : tags;
      if (n.kind === 'block') {
        walk(n.block, t);
        // rescue runs only when something failed: not counted, the counter outgrows the total then
        walk(n.always, t);
        continue;
      }
      if (!started && n.name === sel.startAtTask) started = true;
      if (DYNAMIC.has(n.action)) why.add('includes');
      if (!started || NO_TASK_START.has(n.action) || !tagsAllow(t, sel.tags, sel.skipTags)) continue;
      total++;
    }
  };
  walk([...play.preTasks, ...play.tasks, ...play.postTasks], play.tags ?? []);
  if (sel.startAtTask !== undefined) why.add('--start-at-task');
  return { total, ...(why.size ? { approximate: [...why].join(', ') } : {}) };
}
