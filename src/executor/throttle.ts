/**
 * `throttle: N` (task, block or play keyword): at most N hosts run the task at once,
 * below the forks limit, under either strategy. Under `free` each host reaches the task on
 * its own, so the limit is one queue per task, shared by every host of the play.
 */
import PQueue from 'p-queue';
import { KelpieError } from '../errors.js';
import type { TaskNode } from '../playbook/model.js';

export class TaskThrottles {
  private readonly queues = new Map<string, PQueue>();

  /** The task's queue, or undefined without a limit (no throttle, or 0). `render` templates the value once. */
  queueFor(task: TaskNode, value: unknown, render: () => unknown): PQueue | undefined {
    if (value === undefined || value === null) return undefined;
    const known = this.queues.get(task.id);
    if (known) return known;
    const raw = render();
    const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 0) {
      throw new KelpieError('config', `throttle must be a whole number (0 means no limit), got ${JSON.stringify(raw)}`, { loc: task.keyLocs.throttle ?? task.loc });
    }
    if (n === 0) return undefined;
    const q = new PQueue({ concurrency: n });
    this.queues.set(task.id, q);
    return q;
  }
}
