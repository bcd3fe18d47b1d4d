/** Pure parts of the benchmark: recap counting, medians, the result table and ratios. */
import type { RunKind, Tool } from './options.js';

export interface Measurement {
  tool: Tool;
  hosts: number;
  run: RunKind;
  wall_s: number;
  peak_rss_mb: number;
  task_host_per_s: number;
  /** CPU seconds over the run (bench/lib/cpu.ts): the tool's processes, the lab hosts, everything else. */
  controller_cpu_s?: number;
  hosts_cpu_s?: number;
  other_cpu_s?: number;
}

export interface RecapTotals {
  hosts: number;
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  /** Task-host results: every ok (which includes changed), failed, skipped and unreachable one. */
  results: number;
}

const RECAP_LINE = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)(?:\s+skipped=(\d+))?/;

/** Sums the PLAY RECAP lines both ansible-playbook and kelpie print. */
export function parseRecap(output: string): RecapTotals {
  const t: RecapTotals = { hosts: 0, ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, results: 0 };
  const start = output.lastIndexOf('PLAY RECAP');
  if (start < 0) return t;
  for (const raw of output.slice(start).split('\n').slice(1)) {
    // eslint-disable-next-line no-control-regex
    const m = RECAP_LINE.exec(raw.replace(/\u001b\[[0-9;]*m/g, '').trim());
    if (!m) continue;
    t.hosts++;
    t.ok += Number(m[2]);
    t.changed += Number(m[3]);
    t.unreachable += Number(m[4]);
    t.failed += Number(m[5]);
    t.skipped += Number(m[6] ?? 0);
  }
  t.results = t.ok + t.failed + t.skipped + t.unreachable;
  return t;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One row per (hosts, tool, run): the median of its repetitions, field by field. */
export function summarize(ms: readonly Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of ms) {
    const k = `${m.hosts}|${m.tool}|${m.run}`;
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  const order: Record<RunKind, number> = { apply: 0, rerun: 1, check: 2 };
  return [...groups.values()]
    .map((g) => ({
      tool: g[0]!.tool,
      hosts: g[0]!.hosts,
      run: g[0]!.run,
      wall_s: median(g.map((m) => m.wall_s)),
      peak_rss_mb: median(g.map((m) => m.peak_rss_mb)),
      task_host_per_s: median(g.map((m) => m.task_host_per_s)),
      ...medianCpu(g),
    }))
    .sort((a, b) => a.hosts - b.hosts || order[a.run] - order[b.run] || a.tool.localeCompare(b.tool));
}

function medianCpu(g: readonly Measurement[]): Pick<Measurement, 'controller_cpu_s' | 'hosts_cpu_s' | 'other_cpu_s'> {
  const have = g.filter((m) => m.controller_cpu_s !== undefined);
  if (!have.length) return {};
  return {
    controller_cpu_s: median(have.map((m) => m.controller_cpu_s ?? 0)),
    hosts_cpu_s: median(have.map((m) => m.hosts_cpu_s ?? 0)),
    other_cpu_s: median(have.map((m) => m.other_cpu_s ?? 0)),
  };
}

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** The median table, then Ansible/kelpie ratios where both tools ran (speed-up and memory). */
export function renderTable(summary: readonly Measurement[]): string {
  const rows = summary.map((m) => [String(m.hosts), m.tool, m.run, fmt(m.wall_s, 2), fmt(m.peak_rss_mb, 0), fmt(m.task_host_per_s, 1)]);
  let out = table(['hosts', 'tool', 'run', 'wall s', 'peak MB', 'task-host/s'], rows);
  const ratioRows: string[][] = [];
  for (const k of summary.filter((m) => m.tool === 'kelpie')) {
    const a = summary.find((m) => m.tool === 'ansible' && m.hosts === k.hosts && m.run === k.run);
    if (!a) continue;
    ratioRows.push([String(k.hosts), k.run, '', `${fmt(a.wall_s / k.wall_s, 1)}x`, `${fmt(a.peak_rss_mb / k.peak_rss_mb, 1)}x`]);
  }
  if (ratioRows.length) {
    out += '\nkelpie vs Ansible (Ansible / kelpie: how many times faster, how many times less memory)\n';
    out += table(['hosts', 'run', '', 'speed-up', 'memory'], ratioRows);
  }
  return out;
}

/**
 * Where each run's CPU went (medians): the tool, the lab hosts, the rest of the machine, and
 * how busy that kept the machine's `cores` over the wall time.
 */
export function renderCpuTable(summary: readonly Measurement[], cores: number): string {
  const rows = summary
    .filter((m) => m.controller_cpu_s !== undefined)
    .map((m) => {
      const c = m.controller_cpu_s ?? 0;
      const h = m.hosts_cpu_s ?? 0;
      const other = m.other_cpu_s ?? 0;
      const busy = (c + h + other) / (m.wall_s * cores);
      return [String(m.hosts), m.tool, m.run, fmt(m.wall_s, 2), fmt(c, 2), fmt(h, 2), fmt(other, 2), `${fmt(100 * busy, 0)}%`];
    });
  if (!rows.length) return '';
  return (
    `\nCPU seconds during each run (medians; the machine has ${cores} cores, shared with other jobs)\n` +
    table(['hosts', 'tool', 'run', 'wall s', 'controller', 'lab hosts', 'other', 'machine busy'], rows)
  );
}

/** The goal of issue 12: the 10-host rerun at least this many times faster than Ansible's, in the same bench run. */
export const RERUN_10_TARGET = 50;

/** The 10-host rerun ratio against its target, when both tools ran 10 hosts. */
export function renderRerunTarget(summary: readonly Measurement[]): string {
  const at = (tool: Tool): Measurement | undefined => summary.find((m) => m.tool === tool && m.hosts === 10 && m.run === 'rerun');
  const k = at('kelpie');
  const a = at('ansible');
  if (!k || !a) return '';
  const ratio = a.wall_s / k.wall_s;
  return `\n10-host rerun: Ansible ${fmt(a.wall_s, 2)} s / kelpie ${fmt(k.wall_s, 2)} s = ${fmt(ratio, 1)}x (target >= ${RERUN_10_TARGET}x: ${ratio >= RERUN_10_TARGET ? 'met' : 'missed'})\n`;
}
