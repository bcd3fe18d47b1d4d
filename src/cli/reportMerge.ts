/** `kelpie report merge a.json b.json … [--json OUT] [--report junit=FILE] …` */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MergeConflict, mergeReports } from '../output/merge.js';
import { recapLine } from '../output/plain.js';
import type { RunReport } from '../output/record.js';
import { renderReport, writeWhole } from '../output/reports/index.js';
import type { Io } from './io.js';
import { parseReportSpec } from './outputs.js';
import { UsageError } from './parser.js';

function readReport(file: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the report ${file}: ${(e as Error).message}`);
  }
  const r = data as Partial<RunReport> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.plays) || typeof r.stats !== 'object') {
    throw new UsageError(`${file} is not a kelpie --json report (no plays and stats)`);
  }
  return { not_attempted: [], playbooks: [], ...r } as RunReport;
}

export async function reportMergeCommand(files: string[], flags: { json?: string; report?: string[] }, io: Io): Promise<number> {
  const reports = files.map((f) => readReport(resolve(io.cwd, f)));
  let merged: RunReport;
  try {
    merged = mergeReports(reports);
  } catch (e) {
    if (e instanceof MergeConflict) throw new UsageError(e.message);
    throw e;
  }
  const specs = (flags.report ?? []).map((r) => parseReportSpec(r, io));
  if (flags.json) specs.push({ kind: 'json', file: resolve(io.cwd, flags.json) });
  for (const s of specs) {
    if (s.kind === 'events') throw new UsageError('report merge writes json, junit, markdown and codequality; events exist only while a run goes');
    if (s.file) writeWhole(s.file, renderReport(s.kind, merged, io.cwd));
    if (s.kind === 'markdown' && io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, renderReport('markdown', merged, io.cwd) + '\n');
  }
  io.out(`\nPLAY RECAP (${reports.length} reports) ${'*'.repeat(50)}\n`);
  for (const [host, s] of Object.entries(merged.stats)) io.out(recapLine(host, s) + (merged.not_attempted.includes(host) ? '  (not attempted)' : '') + '\n');
  if (merged.error) io.err(`[WARNING]: ${merged.error}\n`);
  return merged.exit_code ?? 1;
}
