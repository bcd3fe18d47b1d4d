/** One case's observable outcome in one mode, the unit goldens store and tests compare. */
import type { Json } from './normalize.js';

export interface TaskEvent {
  task: string;
  status: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';
  result: Json;
  ignored?: boolean;
}

export interface RunOutcome {
  /** per host, every task result in the order it happened on that host */
  hosts: Record<string, TaskEvent[]>;
  /** PLAY RECAP per host */
  recap: Record<string, Record<string, number>>;
  /** the tool refused the playbook before running anything (its message is not compared) */
  load_error?: true;
}

/** Cuts one run's outcome into each case's share (its hosts). */
export function shareOf(run: RunOutcome, hosts: string[]): RunOutcome {
  if (run.load_error) return { hosts: {}, recap: {}, load_error: true };
  return {
    hosts: Object.fromEntries(hosts.filter((h) => run.hosts[h]).map((h) => [h, run.hosts[h]!])),
    recap: Object.fromEntries(hosts.filter((h) => run.recap[h]).map((h) => [h, run.recap[h]!])),
  };
}
