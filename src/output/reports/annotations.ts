/**
 * Failures where CI systems show them next to the code: GitHub Actions workflow commands
 * (`::error file=…,line=…::`, printed as each failure happens) and GitLab's Code Quality
 * report (a JSON file the merge request widget reads, `artifacts:reports:codequality`).
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { EventSink, TaskHostResult } from '../events.js';
import type { RunReport } from '../record.js';

/** A failure worth annotating: failed and not ignored, or unreachable. */
function isFailure(status: TaskHostResult['status'], ignored: boolean | undefined): boolean {
  return (status === 'failed' && !ignored) || status === 'unreachable';
}

function failureMessage(result: Record<string, unknown>): string {
  for (const k of ['msg', 'censored', 'stderr'] as const) if (typeof result[k] === 'string' && result[k]) return result[k];
  return 'failed';
}

/** Paths in annotations are relative to the checkout (the working directory), as both CIs expect. */
const repoPath = (file: string, cwd: string): string => (file.startsWith('/') ? relative(cwd, file) : file);

// GitHub's workflow command escaping: data escapes %, CR, LF; properties also ':' and ','.
const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Prints `::error file=site.yaml,line=14,title=…::host: message` for each failure as it happens. */
export function githubAnnotations(write: (s: string) => void, cwd: string): EventSink {
  return (e) => {
    if (e.type !== 'host_result' || e.result.interrupted || !isFailure(e.result.status, e.result.ignored)) return;
    const t = e.task;
    const props = [...(t.file ? [`file=${ghProperty(repoPath(t.file, cwd))}`] : []), ...(t.line ? [`line=${t.line}`] : []), `title=${ghProperty(`kelpie: ${t.name}`)}`];
    const what = e.result.status === 'unreachable' ? 'unreachable: ' : '';
    write(`::error ${props.join(',')}::${ghData(`${e.result.host}: ${what}${failureMessage(e.result.result)}`)}\n`);
  };
}

interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'critical' | 'major';
  location: { path: string; lines: { begin: number } };
}

/** GitLab Code Quality JSON: one issue per failed task × host, located at the task. */
export function renderCodeQuality(report: RunReport, cwd: string): string {
  const issues: CodeQualityIssue[] = [];
  for (const play of report.plays)
    for (const task of play.tasks)
      for (const [host, e] of Object.entries(task.hosts)) {
        if (e.interrupted || !isFailure(e.status, e.ignored)) continue;
        const path = task.file ? repoPath(task.file, cwd) : play.name;
        const line = task.line ?? 1;
        issues.push({
          description: `${host}: ${task.name}: ${e.status === 'unreachable' ? 'unreachable: ' : ''}${failureMessage(e.result)}`,
          check_name: e.status === 'unreachable' ? 'kelpie-host-unreachable' : 'kelpie-task-failed',
          fingerprint: createHash('sha256').update(`${path}:${line}:${task.name}:${host}`).digest('hex'),
          severity: e.status === 'unreachable' ? 'critical' : 'major',
          location: { path, lines: { begin: line } },
        });
      }
  return JSON.stringify(issues, null, 2) + '\n';
}
