/** Typed events the executor emits; renderers (the live view, plain, json, reports) subscribe. */
import type { FileDiff } from '../modules/types.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskRef {
  id: string; // unique per task instance in the run
  name: string; // display name, e.g. "copy motd" or "copy"
  action: string; // module name
  file?: string;
  line?: number;
  isHandler: boolean;
  play: string;
}

export interface TaskHostResult {
  host: string;
  status: HostStatus;
  /** Ansible-shaped result (changed, failed, msg, rc, stdout..., results for loops). Masked when no_log. */
  result: Record<string, unknown>;
  item?: unknown; // loop item label for per-item lines
  diff?: FileDiff[];
  ignored?: boolean; // failed but ignore_errors
  interrupted?: boolean; // stopped by SIGINT/SIGTERM: reported, not counted in the recap
  rescued?: boolean;
  checkUnknown?: boolean; // check mode could not verify
  durationMs: number;
  delegatedTo?: string;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** The tasks a play will start (the live view's `task 7/22`); approximate says why it may be off. */
export interface TaskCount {
  total: number;
  approximate?: string;
}

export type RunEvent =
  /** The first event of a run: the playbooks it runs, in order, and its modes. Warnings of loading them follow. */
  | { type: 'run_start'; playbooks: string[]; checkMode: boolean; diffMode: boolean }
  | { type: 'playbook_start'; file: string; checkMode: boolean; diffMode: boolean }
  | { type: 'play_start'; name: string; hosts: string[]; batch?: { index: number; count: number }; tasks?: TaskCount }
  | { type: 'task_start'; task: TaskRef; hosts: string[] }
  | { type: 'item_result'; task: TaskRef; result: TaskHostResult }
  | { type: 'host_result'; task: TaskRef; result: TaskHostResult }
  | { type: 'task_end'; task: TaskRef }
  /**
   * A changed task (`task`) notified a handler for a host that was not already due to run
   * it, as Ansible's v2_playbook_on_notify; the handler runs when the handlers flush.
   */
  | { type: 'handler_notified'; handler: string; host: string; task: TaskRef }
  /** include_tasks loaded `file` for these hosts (with this loop item): Ansible's `included:` line. */
  | { type: 'included'; task: TaskRef; file: string; hosts: string[]; item?: unknown }
  /** The task still runs on these hosts, elapsedMs after it started (every 30 s by default). */
  | { type: 'task_waiting'; task: TaskRef; hosts: string[]; elapsedMs: number }
  | { type: 'play_end'; name: string }
  | { type: 'warning'; message: string; host?: string }
  | { type: 'debug'; message: string; host?: string; level: number }
  | { type: 'interrupted'; signal: string }
  /** notAttempted: hosts a play selected that never ran a task (a serial rollout that stopped early). */
  | { type: 'recap'; stats: Record<string, HostStats>; notAttempted?: string[] }
  /** Every run ends with this, also one stopped by a playbook/inventory error (error) or a signal (interrupted). */
  | { type: 'playbook_end'; exitCode: number; durationMs: number; interrupted?: string; error?: string };

export type EventSink = (e: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/**
 * ansible-playbook's exit code for a run's stats: 4 a host unreachable, 2 a host failed, else 0;
 * with exitChanged (the drift gate), 3 when a task changed or, in check mode, would change.
 */
export function exitCodeOf(stats: Record<string, HostStats>, exitChanged = false): number {
  const all = Object.values(stats);
  if (all.some((s) => s.unreachable > 0)) return 4;
  if (all.some((s) => s.failed > 0)) return 2;
  if (exitChanged && all.some((s) => s.changed > 0)) return 3;
  return 0;
}

/**
 * ansible-playbook exits 99 on SIGINT ("User interrupted execution"); SIGTERM kills it,
 * which a shell reports as 128+15 (test/faults/golden/ holds both, recorded).
 */
export function interruptExitCode(signal: string): number {
  return signal === 'SIGTERM' ? 143 : 99;
}
