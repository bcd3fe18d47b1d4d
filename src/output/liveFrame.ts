/**
 * One frame of the live view: the lines drawn below the scrollback, from the live state, the
 * terminal's size and the clock, nothing else. A row per host while the hosts fit on the
 * screen; past its height, counts per status with the slowest running and the failed hosts.
 * No line is wider than the terminal, so redrawing in place never has a wrapped line to miss.
 */
import type { HostPhase, HostRow, LiveState } from './liveState.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** SGR colours, as plain.ts paints the same statuses */
const COLOUR: Record<HostPhase | 'head' | 'dim', number> = { ok: 32, changed: 33, failed: 31, unreachable: 31, skipped: 36, running: 35, idle: 90, head: 1, dim: 90 };
type Segment = [text: string, colour?: number];

/** 0.8s, 12s, 1m42s, 1h02m */
export function formatDuration(ms: number, precise = true): string {
  const s = ms / 1000;
  if (s < 10 && precise) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The segments cut to `width` visible characters, painted (or not). */
function fit(segments: readonly Segment[], width: number, color: boolean): string {
  let out = '';
  let left = width;
  for (const [text, code] of segments) {
    if (left <= 0) break;
    const piece = clip(text, left);
    left -= Array.from(piece).length;
    out += color && code !== undefined ? `\u001b[${code}m${piece}\u001b[0m` : piece;
  }
  return out;
}

function clip(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length > width ? chars.slice(0, width - 1).join('') + '…' : text;
}

function header(s: LiveState, now: number): Segment[] {
  const segs: Segment[] = [];
  if (s.play) segs.push([`PLAY [${s.play.name}]${s.play.batch ? ` batch ${s.play.batch.index}/${s.play.batch.count}` : ''}`, COLOUR.head]);
  const t = s.task;
  if (t) {
    const c = s.counter();
    if (t.ref.isHandler) segs.push([' · handler']);
    else if (c) segs.push([` · task ${c.number}/${c.approximate ? '~' : ''}${c.total}${c.approximate ? ` (approximate: ${c.approximate})` : ''}`]);
    segs.push([` · ${t.ref.name}`, COLOUR.head], [` · ${formatDuration(now - t.startedAt, false)}`]);
  }
  if (s.runStartedAt !== undefined) segs.push([` · run ${formatDuration(now - s.runStartedAt, false)}`, COLOUR.dim]);
  return segs;
}

function hostState(row: HostRow, s: LiveState, now: number): Segment[] {
  const took = row.durationMs !== undefined ? ` ${formatDuration(row.durationMs)}` : '';
  const items = row.items ? ` · ${row.items} item${row.items === 1 ? '' : 's'}` : '';
  // under the free strategy a host may be on another task than the one in the header
  const elsewhere = row.task && s.task && row.task !== s.task.ref.name && row.phase !== 'idle' ? ` · ${row.task}` : '';
  switch (row.phase) {
    case 'running':
      return [[`running ${formatDuration(now - row.since, false)}`, COLOUR.running], [`${items}${elsewhere}`]];
    case 'failed':
    case 'unreachable':
      return [[`${row.phase}${row.ignored ? ' (ignored)' : ''}${took}`, COLOUR[row.phase]], [`${row.message ? `: ${row.message}` : ''}${elsewhere}`]];
    case 'idle':
      return [['-', COLOUR.idle]];
    default:
      return [[`${row.phase}${took}`, COLOUR[row.phase]], [`${items}${elsewhere}`]];
  }
}

const COUNTED: readonly HostPhase[] = ['running', 'ok', 'changed', 'failed', 'unreachable', 'skipped'];

/** At most n lines for a list: when it is longer, the last line says how many more. */
function listed(rows: readonly HostRow[], n: number, line: (r: HostRow) => Segment[], what: string): Segment[][] {
  if (n <= 0 || !rows.length) return [];
  if (rows.length <= n) return rows.map(line);
  return [...rows.slice(0, n - 1).map(line), [[`  … ${rows.length - (n - 1)} more ${what}`, COLOUR.dim]]];
}

function collapsed(s: LiveState, rows: readonly HostRow[], budget: number, now: number): Segment[][] {
  const count = (p: HostPhase): number => rows.filter((r) => r.phase === p).length;
  const counts: Segment[] = [[`  ${rows.length} hosts:`]];
  COUNTED.forEach((p, i) => counts.push([`${i ? ' ·' : ''} ${count(p)} ${p}`, count(p) ? COLOUR[p] : COLOUR.dim]));
  if (count('idle')) counts.push([` · not on this task ${count('idle')}`, COLOUR.dim]);
  const running = rows.filter((r) => r.phase === 'running').sort((a, b) => a.since - b.since || a.name.localeCompare(b.name));
  const failed = rows.filter((r) => (r.phase === 'failed' && !r.ignored) || r.phase === 'unreachable');
  const left = budget - 1;
  // the slowest hosts and the failed ones share the lines left: each gets at least half when it needs it
  let forRunning = Math.min(running.length, Math.ceil(left / 2));
  const forFailed = Math.min(failed.length, left - forRunning);
  forRunning = Math.min(running.length, left - forFailed);
  const width = Math.min(24, Math.max(0, ...rows.map((r) => r.name.length)));
  const runningLine = (r: HostRow): Segment[] => [[`  running ${formatDuration(now - r.since, false).padEnd(6)}`, COLOUR.running], [` ${r.name.padEnd(width)}`], ...(r.task && s.task && r.task !== s.task.ref.name ? [[` · ${r.task}`] as Segment] : [])];
  const failedLine = (r: HostRow): Segment[] => [[`  ${r.phase.padEnd(14)}`, COLOUR[r.phase]], [` ${r.name.padEnd(width)}`], [r.message ? ` ${r.message}` : '']];
  return [counts, ...listed(running, forRunning, runningLine, 'running'), ...listed(failed, forFailed, failedLine, 'failed')];
}

/**
 * The live area's lines. It keeps the terminal's last line free, so the cursor sits below
 * the frame and the frame never scrolls the screen.
 */
export function liveFrame(s: LiveState, size: TerminalSize, now: number, color = true): string[] {
  const height = size.rows - 1;
  const width = Math.max(10, size.columns - 1);
  if (!s.play || height < 1) return [];
  const lines: Segment[][] = [header(s, now)];
  const rows = [...s.hosts.values()];
  if (1 + rows.length <= height) {
    // the names' column leaves room for the state on a narrow terminal
    const w = Math.min(Math.max(0, ...rows.map((r) => r.name.length)), Math.max(8, Math.floor(width / 2) - 4));
    for (const r of rows) lines.push([[`  ${clip(r.name, w).padEnd(w)}  `], ...hostState(r, s, now)]);
  } else if (height > 1) lines.push(...collapsed(s, rows, height - 1, now));
  return lines.map((l) => fit(l, width, color));
}
