/**
 * What a run did, as the `--json` report holds it: plays, tasks, each host's result, stats.
 * Built from the event stream as the run goes (RunRecorder), or read back from JSON files
 * for `kelpie report merge`; every file report (json, junit, markdown) renders from it.
 */
import type { FileDiff } from '../modules/types.js';
import { emptyStats, exitCodeOf, type HostStats, type HostStatus, type RunEvent, type TaskHostResult } from './events.js';

export interface HostEntry {
  status: HostStatus;
  result: Record<string, unknown>;
  duration_ms: number;
  ignored?: boolean;
  /** stopped by SIGINT/SIGTERM: reported, not counted in the recap */
  interrupted?: boolean;
  rescued?: boolean;
  /** check mode could not verify the change (it depends on an earlier simulated change) */
  check_unknown?: boolean;
  delegated_to?: string;
  /** with --diff: the task's diffs (a loop's from every item) */
  diff?: FileDiff[];
}

export interface TaskEntry {
  name: string;
  action: string;
  file?: string;
  line?: number;
  handler: boolean;
  hosts: Record<string, HostEntry>;
}

/** One play, or one serial batch of a play (batch says which). */
export interface PlayEntry {
  name: string;
  hosts: string[];
  tasks: TaskEntry[];
  batch?: { index: number; count: number };
}

/** The report's plays with the serial batches of each play joined into one entry. */
export function wholePlays(plays: readonly PlayEntry[]): PlayEntry[] {
  const out: PlayEntry[] = [];
  for (const p of plays) {
    const last = out[out.length - 1];
    if (p.batch && p.batch.index > 1 && last?.name === p.name) {
      last.hosts.push(...p.hosts);
      for (const t of p.tasks) {
        const same = last.tasks.find((x) => x.name === t.name && x.file === t.file && x.line === t.line && x.handler === t.handler);
        if (same) Object.assign(same.hosts, t.hosts);
        else last.tasks.push({ ...t, hosts: { ...t.hosts } });
      }
    } else {
      const { batch: _batch, ...rest } = p;
      out.push({ ...rest, hosts: [...p.hosts], tasks: p.tasks.map((t) => ({ ...t, hosts: { ...t.hosts } })) });
    }
  }
  return out;
}

export interface RunReport {
  check_mode: boolean;
  diff_mode: boolean;
  /** null while the run is still going (the file is rewritten as it goes) */
  exit_code: number | null;
  duration_ms: number;
  playbooks: string[];
  plays: PlayEntry[];
  stats: Record<string, HostStats>;
  /** hosts a play selected that never ran a task (a serial rollout that stopped); also in stats, all zero */
  not_attempted: string[];
  /** the signal that stopped the run (SIGINT, SIGTERM) */
  interrupted?: string;
  /** the error that stopped the run before or while it ran */
  error?: string;
  exit_changed?: boolean;
  shard?: string;
}

export function emptyReport(): RunReport {
  return { check_mode: false, diff_mode: false, exit_code: null, duration_ms: 0, playbooks: [], plays: [], stats: {}, not_attempted: [] };
}

export function hostEntry(r: TaskHostResult): HostEntry {
  return {
    status: r.status,
    result: r.result,
    duration_ms: r.durationMs,
    ...(r.ignored ? { ignored: true } : {}),
    ...(r.interrupted ? { interrupted: true } : {}),
    ...(r.rescued ? { rescued: true } : {}),
    ...(r.checkUnknown ? { check_unknown: true } : {}),
    ...(r.delegatedTo ? { delegated_to: r.delegatedTo } : {}),
    ...(r.diff?.length ? { diff: r.diff } : {}),
  };
}

/**
 * Adds (sign 1) or takes back (sign -1) one task-host entry in the stats counted from the
 * results so far; the recap's own stats replace them when the run ends. Counted as results
 * arrive, not recounted over the whole report at each one (that was quadratic in results).
 */
function countEntry(stats: Record<string, HostStats>, host: string, e: HostEntry, sign: 1 | -1): void {
  const s = (stats[host] ??= emptyStats());
  if (e.interrupted) return;
  if (e.status === 'failed' && e.ignored) s.ignored += sign;
  if (e.status === 'failed' && !e.ignored) s.failed += sign;
  else if (e.status === 'unreachable') s.unreachable += sign;
  else if (e.status === 'skipped') s.skipped += sign;
  else s.ok += sign;
  if (e.status === 'changed') s.changed += sign;
}

/** Subscribes to the event stream and keeps the RunReport up to date. */
export class RunRecorder {
  readonly report: RunReport = emptyReport();
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly itemDiffs = new Map<string, FileDiff[]>();
  private recapped = false;
  /** The stats of the results so far, kept as they arrive (the report's stats until the recap). */
  private readonly counted: Record<string, HostStats> = {};

  constructor(opts: { exitChanged?: boolean; shard?: string } = {}) {
    if (opts.exitChanged) this.report.exit_changed = true;
    if (opts.shard) this.report.shard = opts.shard;
  }

  /** Applies one event; returns true when the report reached a point worth writing out. */
  apply(e: RunEvent): boolean {
    const r = this.report;
    switch (e.type) {
      case 'run_start':
        r.check_mode = e.checkMode;
        r.diff_mode = e.diffMode;
        r.playbooks.push(...e.playbooks);
        return false;
      case 'play_start':
        r.plays.push({ name: e.name, hosts: [...e.hosts], tasks: [], ...(e.batch ? { batch: { ...e.batch } } : {}) });
        return true;
      case 'task_start': {
        // a task that runs again for a host (an include looping, a handler notified again) gets an entry of its own
        const seen = this.tasks.get(e.task.id);
        if (seen && !e.hosts.some((h) => seen.hosts[h] !== undefined)) return false;
        const t: TaskEntry = { name: e.task.name, action: e.task.action, ...(e.task.file ? { file: e.task.file } : {}), ...(e.task.line ? { line: e.task.line } : {}), handler: e.task.isHandler, hosts: {} };
        this.tasks.set(e.task.id, t);
        r.plays[r.plays.length - 1]?.tasks.push(t);
        return false;
      }
      case 'item_result':
        if (e.result.diff?.length) {
          const key = `${e.task.id}\u0000${e.result.host}`;
          this.itemDiffs.set(key, [...(this.itemDiffs.get(key) ?? []), ...e.result.diff]);
        }
        return false;
      case 'host_result': {
        const t = this.tasks.get(e.task.id);
        if (!t) return false;
        const entry = hostEntry(e.result);
        const items = this.itemDiffs.get(`${e.task.id}\u0000${e.result.host}`);
        if (items && !entry.diff) entry.diff = items;
        const before = t.hosts[e.result.host];
        if (before) countEntry(this.counted, e.result.host, before, -1);
        t.hosts[e.result.host] = entry;
        countEntry(this.counted, e.result.host, entry, 1);
        if (!this.recapped) r.stats = this.counted;
        return false;
      }
      case 'task_end':
      case 'play_end':
        return true;
      case 'recap':
        this.recapped = true;
        r.stats = { ...e.stats };
        r.not_attempted = [...(e.notAttempted ?? [])];
        for (const h of r.not_attempted) r.stats[h] ??= emptyStats();
        return true;
      case 'playbook_end':
        r.exit_code = e.exitCode;
        r.duration_ms = e.durationMs;
        if (e.error) r.error = e.error;
        if (e.interrupted) r.interrupted = e.interrupted;
        return true;
      default:
        return false;
    }
  }
}

/** The exit code of a report's stats, as the run itself would have computed it. */
export function reportExitCode(r: RunReport): number {
  return exitCodeOf(r.stats, r.exit_changed);
}
