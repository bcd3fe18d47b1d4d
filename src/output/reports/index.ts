/**
 * `--report KIND=FILE` (and `--json FILE`): files that subscribe to the run's event stream and
 * are rewritten as the run goes, each time in one step (temp file + rename), so a run stopped
 * by a signal or a playbook error still leaves a whole, valid file.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventSink, RunEvent } from '../events.js';
import { RunRecorder, type RunReport } from '../record.js';
import { renderCodeQuality } from './annotations.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export const REPORT_KINDS = ['json', 'junit', 'markdown', 'events', 'codequality'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportSpec {
  kind: ReportKind;
  /** absent only for markdown, which then goes to $GITHUB_STEP_SUMMARY alone */
  file?: string;
}

/** Renders a whole report file from the run record. */
export function renderReport(kind: Exclude<ReportKind, 'events'>, report: RunReport, cwd: string): string {
  switch (kind) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report, cwd);
    case 'codequality':
      return renderCodeQuality(report, cwd);
  }
}

/** Replaces a file's content in one step: a reader (or a killed run) never leaves half a document. */
export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** NDJSON: one line per event, written the moment it happens. */
class EventLog {
  private fd: number | undefined;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }
  write(e: RunEvent): void {
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify({ ts: new Date().toISOString(), ...e }) + '\n');
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ReportContext {
  cwd: string;
  /** $GITHUB_STEP_SUMMARY: a markdown report is appended there when the run ends */
  stepSummary?: string;
  checkMode: boolean;
  diffMode: boolean;
  exitChanged?: boolean;
  shard?: string;
}

/** Every report file of one run, fed by one subscription to the event stream. */
export class RunReports {
  private readonly recorder: RunRecorder;
  private readonly files: { kind: Exclude<ReportKind, 'events'>; path: string }[] = [];
  private readonly logs: EventLog[] = [];
  private readonly summaries: boolean;
  private closed = false;
  private readonly started = Date.now();

  constructor(specs: readonly ReportSpec[], private readonly ctx: ReportContext) {
    this.recorder = new RunRecorder({ ...(ctx.exitChanged ? { exitChanged: true } : {}), ...(ctx.shard ? { shard: ctx.shard } : {}) });
    this.recorder.report.check_mode = ctx.checkMode;
    this.recorder.report.diff_mode = ctx.diffMode;
    for (const s of specs) {
      if (s.kind === 'events') this.logs.push(new EventLog(s.file!));
      else if (s.file) this.files.push({ kind: s.kind, path: s.file });
    }
    this.summaries = Boolean(ctx.stepSummary) && specs.some((s) => s.kind === 'markdown');
    this.flush(); // a valid (empty) file from the first moment
  }

  get report(): RunReport {
    return this.recorder.report;
  }

  readonly sink: EventSink = (e) => {
    if (this.closed) return;
    for (const log of this.logs) log.write(e);
    if (this.recorder.apply(e)) this.flush();
    if (e.type === 'playbook_end') this.close();
  };

  private flush(): void {
    for (const f of this.files) writeWhole(f.path, renderReport(f.kind, this.recorder.report, this.ctx.cwd));
  }

  /**
   * Writes every file as it stands and releases them; a later call does nothing. For a run that
   * did not reach its own end (stopped by a playbook error or a signal), `end` is recorded as
   * its end, in every report and in the event log.
   */
  close(end?: { exitCode: number; error?: string }): void {
    if (this.closed) return;
    if (end && this.recorder.report.exit_code === null) {
      this.sink({ type: 'playbook_end', exitCode: end.exitCode, durationMs: Date.now() - this.started, ...(end.error ? { error: end.error } : {}) });
      return; // playbook_end closes
    }
    this.flush();
    for (const log of this.logs) log.close();
    if (this.summaries) appendFileSync(this.ctx.stepSummary!, renderMarkdown(this.recorder.report, this.ctx.cwd) + '\n');
    this.closed = true;
  }
}
