/**
 * Several read-only probes in ONE round trip. Each section's stdout and exit status come
 * back framed by a random marker, so a module asks everything it needs at once.
 */
import { randomBytes } from 'node:crypto';
import { sh, shellJoin, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { ReadContext } from '../types.js';

export interface ProbeSection {
  cmd: ShellCommand;
  /** Fold the section's stderr into its stdout (e.g. to read apt-get's "E: ..." lines). */
  mergeStderr?: boolean;
}

export interface SectionResult {
  rc: number;
  stdout: string;
}

/** The batched shell text; exported so fixture tests can see exactly what runs. */
export function batchCommand(sections: Record<string, ShellCommand | ProbeSection>, token: string): ShellCommand {
  const parts: ShellCommand[] = [];
  for (const [key, s] of Object.entries(sections)) {
    const sec: ProbeSection = 'cmd' in s ? s : { cmd: s };
    const redirect = shellRaw(sec.mergeStderr ? '2>&1' : '2>/dev/null');
    // printf (not echo) so a section that ends without a newline cannot glue onto the marker.
    parts.push(sh`printf '\\n%s<%s\\n' ${token} ${key}; { ${sec.cmd} ; } ${redirect}; printf '\\n%s>%s\\n' ${token} "$?"`);
  }
  return shellJoin(parts, '\n');
}

export function parseBatch(stdout: string, token: string): Record<string, SectionResult> {
  const out: Record<string, SectionResult> = {};
  const re = new RegExp(`\\n${token}<([^\\n]*)\\n([\\s\\S]*?)\\n${token}>(\\d+)\\n`, 'g');
  // The leading newline of the first marker is part of stdout, so the regex always sees one.
  for (const m of ('\n' + stdout.replace(/^\n/, '')).matchAll(re)) {
    out[m[1]!] = { rc: Number(m[3]), stdout: m[2]! };
  }
  return out;
}

export async function probeBatch<K extends string>(
  ctx: ReadContext,
  sections: Record<K, ShellCommand | ProbeSection>,
  timeoutMs?: number,
): Promise<Record<K, SectionResult>> {
  const token = 'KELPIE' + randomBytes(6).toString('hex');
  const r = await ctx.probe(batchCommand(sections, token), timeoutMs ? { timeoutMs } : undefined);
  const parsed = parseBatch(r.stdout, token);
  for (const key of Object.keys(sections)) {
    if (!parsed[key]) throw new Error(`probe section '${key}' produced no result (rc ${r.rc}): ${r.stderr.trim().slice(0, 300)}`);
  }
  return parsed as Record<K, SectionResult>;
}
