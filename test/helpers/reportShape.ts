/** Report comparisons shared by the shard tests. */
import type { RunReport } from '../../src/output/record.js';

/** host → what it did, in order: `play / task: status` */
export function perHost(r: RunReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of r.plays) for (const t of p.tasks) for (const [h, e] of Object.entries(t.hosts)) (out[h] ??= []).push(`${p.name} / ${t.name}: ${e.status}`);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** stats with the hosts in name order */
export function sortedStats(r: RunReport): RunReport['stats'] {
  return Object.fromEntries(Object.entries(r.stats).sort(([a], [b]) => a.localeCompare(b)));
}
