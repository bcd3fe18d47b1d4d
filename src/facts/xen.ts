/**
 * Xen CPU accounting on a dom0: `xen_domains`, one entry per domain with its CPU time
 * as a share of one CPU over the domain's uptime. From `xl list` + `xl uptime`, or
 * `xm list` + `xm uptime` on old toolstacks (same column layout).
 */
import type { ExecResult } from '../connection/types.js';
import { shellRaw, type ShellCommand } from '../shell/quote.js';
import { splitSection, type FactFamily, type Facts } from './section.js';
import { printfFixed } from '../template/printfFixed.js';

export interface XenDomain {
  name: string;
  id: number;
  vcpus: number;
  memory_mb: number;
  state: string;
  cpu_seconds: number;
  uptime_seconds: number | null;
  /**
   * cpu_seconds / uptime_seconds × 100, rounded to 2 decimals exactly as the seed's Perl
   * `printf "%.2f"` rounds (0.125 → 0.12: the double's exact value, ties to even).
   */
  cpu_percent_of_one: number | null;
}

const SCRIPT = [
  // Only on a dom0: elsewhere this costs one failed grep. The marker file stands for a dom0 on
  // lab hosts, where /proc/xen cannot be faked (see src/lab/standins/README-xen.md).
  "if { [ -r /proc/xen/capabilities ] && grep -q control_d /proc/xen/capabilities 2>/dev/null; } || [ -f /etc/kelpie-standin/xen-dom0 ]; then",
  '  if command -v xl >/dev/null 2>&1; then t=xl; elif command -v xm >/dev/null 2>&1; then t=xm; else t=; fi',
  '  if [ -n "$t" ]; then echo ::tool::; echo "$t"; echo ::list::; "$t" list 2>/dev/null; echo ::uptime::; "$t" uptime 2>/dev/null; fi',
  'fi',
  'true',
].join('\n');

/** Same as SCRIPT but also usable where /proc/xen is not mounted (the tools decide). */
const STANDALONE = [
  'if command -v xl >/dev/null 2>&1; then t=xl; elif command -v xm >/dev/null 2>&1; then t=xm; else t=; fi',
  'if [ -n "$t" ]; then echo ::tool::; echo "$t"; echo ::list::; "$t" list 2>/dev/null; echo ::uptime::; "$t" uptime 2>/dev/null; fi',
  'true',
].join('\n');

/** "1 day, 3:04:05", "12 days,  0:01:02", "3:04:05", "04:05" → seconds. */
export function parseXenUptime(text: string): number | undefined {
  const m = /^\s*(?:(\d+)\s+days?,\s*)?(?:(\d+):)?(\d+):(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

export function parseXenList(text: string): Omit<XenDomain, 'uptime_seconds' | 'cpu_percent_of_one'>[] {
  const out: Omit<XenDomain, 'uptime_seconds' | 'cpu_percent_of_one'>[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+([\d.]+)\s*$/.exec(line);
    if (!m) continue;
    out.push({ name: m[1]!.trim(), id: Number(m[2]), memory_mb: Number(m[3]), vcpus: Number(m[4]), state: m[5]!, cpu_seconds: Number(m[6]) });
  }
  return out;
}

export function parseXenUptimeTable(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(.*\d:\d\d)\s*$/.exec(line);
    if (!m) continue;
    const secs = parseXenUptime(m[3]!);
    if (secs !== undefined) out.set(m[1]!.trim(), secs);
  }
  return out;
}

export function parseXen(text: string): Facts {
  const { subs } = splitSection(text);
  const tool = subs.get('tool')?.trim();
  if (!tool) return {};
  const uptimes = parseXenUptimeTable(subs.get('uptime') ?? '');
  const domains: XenDomain[] = parseXenList(subs.get('list') ?? '').map((d) => {
    const up = uptimes.get(d.name);
    const pct = up ? Number(printfFixed((d.cpu_seconds / up) * 100, 2)) : null;
    return { ...d, uptime_seconds: up ?? null, cpu_percent_of_one: pct };
  });
  return { xen_toolstack: tool, xen_domains: domains };
}

export const xenFamily: FactFamily = { name: 'xen', subset: 'virtual', script: SCRIPT, parse: parseXen };

/** Xen facts alone, one round trip; {} when neither xl nor xm exists. */
export async function gatherXen(run: (cmd: ShellCommand) => Promise<ExecResult>): Promise<Facts> {
  const res = await run(shellRaw(STANDALONE));
  return parseXen(res.stdout);
}
