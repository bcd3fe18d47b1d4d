/**
 * Everything that subscribes to a run's event stream in the CLI: the terminal (live view or
 * plain lines), GitHub annotations under GitHub Actions, and the report files. The signal
 * path stops open outputs with stopRunOutputs(), so their files end valid.
 */
import { resolve } from 'node:path';
import { adhocRenderer } from '../output/adhoc.js';
import type { EventSink, RunEvent } from '../output/events.js';
import { liveRenderer } from '../output/live.js';
import { plainRenderer } from '../output/plain.js';
import { githubAnnotations } from '../output/reports/annotations.js';
import { REPORT_KINDS, RunReports, type ReportKind, type ReportSpec } from '../output/reports/index.js';
import type { Io } from './io.js';
import type { RunFlags } from './options.js';
import { UsageError } from './parser.js';
import type { Shard } from './shard.js';
import { terminalMode, type ColorChoice } from './terminal.js';

/** `junit=out.xml` → { kind, file }; `markdown` alone is allowed where $GITHUB_STEP_SUMMARY is set. */
export function parseReportSpec(text: string, io: Pick<Io, 'cwd' | 'env'>): ReportSpec {
  const eq = text.indexOf('=');
  const kind = eq < 0 ? text : text.slice(0, eq);
  const file = eq < 0 ? undefined : text.slice(eq + 1);
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--report: unknown kind '${kind}'`, `one of ${REPORT_KINDS.join(', ')}, as KIND=FILE`);
  }
  if (file === '' || (file === undefined && !(kind === 'markdown' && io.env.GITHUB_STEP_SUMMARY))) {
    throw new UsageError(`--report ${kind} needs a file: --report ${kind}=FILE`);
  }
  return { kind: kind as ReportKind, ...(file ? { file: resolve(io.cwd, file) } : {}) };
}

export interface OutputOptions {
  verbosity: number;
  checkMode: boolean;
  diffMode: boolean;
  plain?: boolean;
  color?: ColorChoice;
  json?: string;
  reports?: string[];
  exitChanged?: boolean;
  shard?: Shard;
  /** an ad-hoc run of this module: Ansible's ad-hoc output instead of a playbook's */
  adhocAction?: string;
}

export function outputOptionsOf(f: RunFlags): OutputOptions {
  return {
    verbosity: f.verbose ?? 0,
    checkMode: f.check === true,
    diffMode: f.diff === true,
    ...(f.plain ? { plain: true } : {}),
    ...(f.color ? { color: f.color } : {}),
    ...(f.json ? { json: f.json } : {}),
    ...(f.report ? { reports: f.report } : {}),
    ...(f.exitChanged ? { exitChanged: true } : {}),
    ...(f.shard ? { shard: f.shard } : {}),
  };
}

export interface RunOutputs {
  /** Feeds a run's events (run() of src/api) to every output; resolves to the run's exit code. */
  follow(events: AsyncIterable<RunEvent>): Promise<number>;
  /** resolves when the terminal has drawn everything */
  drained(): Promise<void>;
  /** ends the run's outputs; a run that did not reach its own end records `end` as its end */
  close(end?: { exitCode: number; error?: string }): void;
}

const open = new Set<RunOutputs>();

/** For the signal path: every open run's reports are written whole, recording why the run stopped. */
export function stopRunOutputs(exitCode: number, reason: string): void {
  for (const o of [...open]) o.close({ exitCode, error: reason });
}

export function openRunOutputs(o: OutputOptions, io: Io): RunOutputs {
  const specs = (o.reports ?? []).map((r) => parseReportSpec(r, io));
  if (o.json) specs.push({ kind: 'json', file: resolve(io.cwd, o.json) });
  const mode = terminalMode(io.env, io.tty, o.color);
  const terminal = { write: io.out, verbosity: o.verbosity, color: mode.color, diff: o.diffMode, collapseAbove: 20 };
  const sinks: EventSink[] = [];
  let drained: () => Promise<void> = async () => undefined;
  if (o.adhocAction) sinks.push(adhocRenderer({ write: io.out, color: mode.color, diff: o.diffMode, action: o.adhocAction }));
  else if (mode.live && !o.plain) {
    const live = liveRenderer({ ...terminal, size: io.size ?? (() => ({ columns: 80, rows: 24 })), tickMs: 1000, frameMs: 50 });
    sinks.push(live.sink);
    drained = live.drained;
  } else sinks.push(plainRenderer(terminal));
  if (io.env.GITHUB_ACTIONS === 'true') sinks.push(githubAnnotations(io.out, io.cwd));
  const reports = new RunReports(specs, {
    cwd: io.cwd,
    ...(io.env.GITHUB_STEP_SUMMARY ? { stepSummary: io.env.GITHUB_STEP_SUMMARY } : {}),
    checkMode: o.checkMode,
    diffMode: o.diffMode,
    ...(o.exitChanged ? { exitChanged: true } : {}),
    ...(o.shard ? { shard: `${o.shard.index}/${o.shard.count}` } : {}),
  });
  sinks.push(reports.sink);
  const emit = (e: RunEvent): void => {
    for (const s of sinks) s(e);
  };
  const outputs: RunOutputs = {
    follow: async (events) => {
      let exitCode = 0;
      for await (const e of events) {
        emit(e);
        if (e.type === 'playbook_end') exitCode = e.exitCode;
      }
      return exitCode;
    },
    drained,
    close: (end) => {
      reports.close(end);
      open.delete(outputs);
    },
  };
  open.add(outputs);
  return outputs;
}
