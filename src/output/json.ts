/** --json FILE: every task result per host, written when the run ends. */
import { writeFileSync } from 'node:fs';
import type { EventSink, HostStats, RunEvent } from './events.js';

interface JsonTask {
  name: string;
  action: string;
  file?: string;
  line?: number;
  handler: boolean;
  hosts: Record<string, { status: string; result: Record<string, unknown>; duration_ms: number; ignored?: boolean; interrupted?: boolean }>;
}

interface JsonPlay {
  name: string;
  hosts: string[];
  tasks: JsonTask[];
}

export function jsonReporter(file: string): EventSink {
  const plays: JsonPlay[] = [];
  const tasks = new Map<string, JsonTask>();
  let stats: Record<string, HostStats> = {};
  let check = false;
  let diff = false;
  return (e: RunEvent) => {
    switch (e.type) {
      case 'playbook_start':
        check = e.checkMode;
        diff = e.diffMode;
        return;
      case 'play_start':
        plays.push({ name: e.name, hosts: e.hosts, tasks: [] });
        tasks.clear();
        return;
      case 'task_start': {
        let t = tasks.get(e.task.id);
        if (!t) {
          t = { name: e.task.name, action: e.task.action, ...(e.task.file ? { file: e.task.file } : {}), ...(e.task.line ? { line: e.task.line } : {}), handler: e.task.isHandler, hosts: {} };
          tasks.set(e.task.id, t);
          plays[plays.length - 1]?.tasks.push(t);
        }
        return;
      }
      case 'host_result': {
        const t = tasks.get(e.task.id);
        if (t) t.hosts[e.result.host] = { status: e.result.status, result: e.result.result, duration_ms: e.result.durationMs, ...(e.result.ignored ? { ignored: true } : {}), ...(e.result.interrupted ? { interrupted: true } : {}) };
        return;
      }
      case 'recap':
        stats = e.stats;
        return;
      case 'playbook_end':
        writeFileSync(file, JSON.stringify({ check_mode: check, diff_mode: diff, exit_code: e.exitCode, duration_ms: e.durationMs, ...(e.interrupted ? { interrupted: e.interrupted } : {}), plays, stats }, null, 2) + '\n');
        return;
      default:
        return;
    }
  };
}
