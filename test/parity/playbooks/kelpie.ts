/** Runs a batch with kelpie (in-process CLI, --json report) and reshapes the report like Ansible's recording. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/runCli.js';
import type { Batch } from './batch.js';
import { modeFlags, type Mode } from './cases.js';
import type { Json } from './normalize.js';
import type { RunOutcome, TaskEvent } from './outcome.js';

interface Report {
  plays: { tasks: { name: string; hosts: Record<string, { status: TaskEvent['status']; result: Json; ignored?: boolean }> }[] }[];
  stats: Record<string, Record<string, number>>;
  /** hosts selected that never ran a task: in the report's stats (all zero), not in the recap */
  not_attempted?: string[];
  /** why the run stopped, when it did: with no play started, the playbook was refused at load time */
  error?: string;
}

/**
 * kelpie's own result keys (docs/deviations.md: changes-key): `changes` lists what a task
 * changes or would change, `check_unknown` why check mode could not verify. Checked for
 * their shape here, then left out of the comparison.
 */
function withoutKelpieKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutKelpieKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'changes' && Array.isArray(x) && x.every((c) => typeof c === 'string')) continue;
    if (k === 'check_unknown' && typeof x === 'string') continue;
    out[k] = withoutKelpieKeys(x);
  }
  return out;
}

export async function runKelpie(batch: Batch, mode: Mode): Promise<RunOutcome & { log: string }> {
  const json = join(batch.root, `kelpie-${mode}.json`);
  const r = await runCli(['playbook', batch.playbook, '-i', batch.inventory, '--json', json, ...modeFlags[mode]], { cwd: batch.root });
  let report: Report;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  } catch {
    // refused at load time, or stopped by an error of the whole run: the cases run alone next
    return { hosts: {}, recap: {}, load_error: true, log: `kelpie exited ${r.code} without a report:\n${r.out}${r.err}` };
  }
  if (report.error !== undefined && report.plays.length === 0) return { hosts: {}, recap: {}, load_error: true, log: r.out + r.err };
  const hosts: Record<string, TaskEvent[]> = {};
  for (const play of report.plays) {
    for (const task of play.tasks) {
      for (const [host, res] of Object.entries(task.hosts)) {
        (hosts[host] ??= []).push({ task: task.name, status: res.status, result: withoutKelpieKeys(res.result), ...(res.ignored ? { ignored: true } : {}) });
      }
    }
  }
  const recap = Object.fromEntries(Object.entries(report.stats).filter(([h]) => !report.not_attempted?.includes(h)));
  return { hosts, recap, log: r.out + r.err };
}
