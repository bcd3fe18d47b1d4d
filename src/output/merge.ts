/**
 * `kelpie report merge`: the JSON reports of the shards of one rollout joined into one report
 * (one recap, one exit code), from which junit and markdown render as for a single run.
 * Shards run the same playbooks, so their plays line up by position; tasks join by place
 * (file, line, name), hosts by name. Nothing coordinates the shards while they run.
 */
import { emptyStats, type HostStats } from './events.js';
import { emptyReport, reportExitCode, wholePlays, type PlayEntry, type RunReport } from './record.js';

function addStats(into: HostStats, s: HostStats): void {
  for (const k of Object.keys(into) as (keyof HostStats)[]) into[k] += s[k];
}

function mergePlay(into: PlayEntry, p: PlayEntry): void {
  into.hosts.push(...p.hosts.filter((h) => !into.hosts.includes(h)));
  for (const t of p.tasks) {
    const same = into.tasks.find((x) => x.name === t.name && x.file === t.file && x.line === t.line && x.handler === t.handler);
    if (same) Object.assign(same.hosts, t.hosts);
    else into.tasks.push({ ...t, hosts: { ...t.hosts } });
  }
}

/** Thrown for reports that cannot be one run (a check run with a real one). */
export class MergeConflict extends Error {}

export function mergeReports(reports: readonly RunReport[]): RunReport {
  const out = emptyReport();
  if (!reports.length) return out;
  const modes = new Set(reports.map((r) => r.check_mode));
  if (modes.size > 1) throw new MergeConflict('cannot merge the report of a check run with the report of a real run');
  out.check_mode = reports[0]!.check_mode;
  out.diff_mode = reports.some((r) => r.diff_mode);
  if (reports.some((r) => r.exit_changed)) out.exit_changed = true;
  for (const r of reports) {
    for (const pb of r.playbooks) if (!out.playbooks.includes(pb)) out.playbooks.push(pb);
    wholePlays(r.plays).forEach((p, i) => {
      const at = out.plays[i];
      if (at && at.name === p.name) mergePlay(at, p);
      else out.plays.push({ ...p, hosts: [...p.hosts], tasks: p.tasks.map((t) => ({ ...t, hosts: { ...t.hosts } })) });
    });
    for (const [h, s] of Object.entries(r.stats)) addStats((out.stats[h] ??= emptyStats()), s);
    out.duration_ms = Math.max(out.duration_ms, r.duration_ms);
  }
  const attempted = (h: string): boolean => Object.values(out.stats[h] ?? emptyStats()).some((n) => n > 0);
  out.not_attempted = [...new Set(reports.flatMap((r) => r.not_attempted ?? []))].filter((h) => !attempted(h));
  // a shard that did not finish (no exit code, an error, a signal) decides the exit code
  const unfinished = reports.find((r) => r.exit_code === null || r.error || r.interrupted);
  if (unfinished) {
    out.exit_code = unfinished.exit_code ?? 1;
    out.error = unfinished.error ?? (unfinished.interrupted ? `a shard was interrupted by ${unfinished.interrupted}` : 'a shard did not finish (its report has no exit code)');
  } else out.exit_code = reportExitCode(out);
  return out;
}
