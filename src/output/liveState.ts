/**
 * What the live view knows, folded from the run's events and the clock alone (no terminal,
 * no executor): the play, the task and its number, and where each host of the play stands.
 * The frame (liveFrame.ts) is drawn from this and the terminal's size.
 */
import type { HostStatus, RunEvent, TaskCount, TaskRef } from './events.js';

/** running: started the current task, no result yet; idle: not on the current task. */
export type HostPhase = HostStatus | 'running' | 'idle';

export interface HostRow {
  name: string;
  phase: HostPhase;
  /** when the host started its task (running) */
  since: number;
  /** how long the host's last result took */
  durationMs?: number;
  /** first line of a failure's message */
  message?: string;
  ignored?: boolean;
  /** loop items finished so far on the current task */
  items: number;
  /** the task this row is about, its name and id (under the free strategy hosts are on different tasks) */
  task?: string;
  taskId?: string;
}

export interface TaskView {
  ref: TaskRef;
  startedAt: number;
  /** 1-based position among the play's tasks; handlers have none */
  number?: number;
}

export class LiveState {
  runStartedAt: number | undefined;
  play: { name: string; batch?: { index: number; count: number }; tasks?: TaskCount } | undefined;
  task: TaskView | undefined;
  readonly hosts = new Map<string, HostRow>();
  /** the play's tasks started so far (a task that starts again for other hosts counts once) */
  private readonly started = new Set<string>();

  apply(e: RunEvent, now: number): void {
    switch (e.type) {
      case 'run_start':
        this.runStartedAt = now;
        return;
      case 'play_start':
        this.runStartedAt ??= now;
        this.play = { name: e.name, ...(e.batch ? { batch: e.batch } : {}), ...(e.tasks ? { tasks: e.tasks } : {}) };
        this.task = undefined;
        this.started.clear();
        this.hosts.clear();
        for (const h of e.hosts) this.hosts.set(h, { name: h, phase: 'idle', since: now, items: 0 });
        return;
      case 'task_start':
        this.startTask(e.task, e.hosts, now);
        return;
      case 'item_result': {
        const row = this.hosts.get(e.result.host);
        if (row) row.items++;
        return;
      }
      case 'host_result': {
        const row = this.hosts.get(e.result.host);
        if (!row) return;
        const r = e.result;
        row.phase = r.status;
        row.durationMs = r.durationMs > 0 ? r.durationMs : now - row.since;
        if (r.ignored) row.ignored = true;
        else delete row.ignored;
        if (r.status === 'failed' || r.status === 'unreachable') row.message = firstLine(r.result.msg ?? r.result.stderr ?? '');
        else delete row.message;
        return;
      }
      case 'play_end':
        this.task = undefined;
        return;
      default:
        return;
    }
  }

  private startTask(ref: TaskRef, targets: readonly string[], now: number): void {
    let number: number | undefined;
    if (!ref.isHandler) {
      this.started.add(ref.id);
      number = this.started.size;
    }
    this.task = { ref, startedAt: now, ...(number !== undefined ? { number } : {}) };
    const on = new Set(targets);
    for (const row of this.hosts.values()) {
      if (on.has(row.name)) {
        Object.assign(row, { phase: 'running', since: now, items: 0, task: ref.name, taskId: ref.id });
        delete row.durationMs;
        delete row.message;
        delete row.ignored;
      } else if (row.phase !== 'running' && row.phase !== 'failed' && row.phase !== 'unreachable') {
        // a host that failed stays failed on screen: it takes no further part in the play
        row.phase = 'idle';
      } else if (row.phase === 'failed' && row.ignored) row.phase = 'idle';
    }
    for (const h of targets) if (!this.hosts.has(h)) this.hosts.set(h, { name: h, phase: 'running', since: now, items: 0, task: ref.name, taskId: ref.id });
  }

  /** Some host is still on this task (under the free strategy each host ends it on its own). */
  running(taskId: string): boolean {
    for (const row of this.hosts.values()) if (row.phase === 'running' && row.taskId === taskId) return true;
    return false;
  }

  /** The task counter's figures: the total grows to the number when the play ran more than counted. */
  counter(): { number: number; total: number; approximate?: string } | undefined {
    const n = this.task?.number;
    const count = this.play?.tasks;
    if (n === undefined || !count) return undefined;
    if (n > count.total) return { number: n, total: n, approximate: count.approximate ?? 'more tasks ran than counted' };
    return { number: n, total: count.total, ...(count.approximate ? { approximate: count.approximate } : {}) };
  }
}

function firstLine(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}
