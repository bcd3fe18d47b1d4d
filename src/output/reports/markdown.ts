/**
 * A summary a reviewer reads in a pull request comment or a GitHub job summary: above all of a
 * check run. Per host: what would change (diffs folded in <details>), what check mode could not
 * verify, what failed. Results are the ones the event stream carries, so no_log results are
 * already censored and their diffs dropped.
 */
import { relative } from 'node:path';
import type { FileDiff } from '../../modules/types.js';
import { renderFileDiff } from '../unifiedDiff.js';
import type { HostEntry, RunReport, TaskEntry } from '../record.js';

/** Text safe inside markdown and inline HTML (task names, messages come from playbooks and hosts). */
function md(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!).replace(/([\\`*_[\]|#])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** A fenced block that no backtick run inside the text can close early. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

function diffBlock(diffs: readonly FileDiff[]): string {
  const text = diffs.map(renderFileDiff).join('');
  if (!text.trim()) return '';
  const names = diffs.map((d) => d.path).filter((p): p is string => !!p);
  const summary = names.length ? `diff: ${names.map(md).join(', ')}` : 'diff';
  return `\n  <details><summary>${summary}</summary>\n\n${fenced('diff', text).replace(/^/gm, '  ')}\n\n  </details>`;
}



function messageOf(e: HostEntry): string {
  const r = e.result;
  for (const k of ['msg', 'censored', 'stderr'] as const) if (typeof r[k] === 'string' && r[k]) return r[k];
  return '';
}

interface HostLines {
  changes: string[];
  unverified: string[];
  failures: string[];
}

function collect(report: RunReport, cwd: string): Map<string, HostLines> {
  const where = (t: TaskEntry): string => (t.file ? ` (\`${relative(cwd, t.file) || t.file}:${t.line ?? 0}\`)` : '');
  const hosts = new Map<string, HostLines>();
  const of = (h: string): HostLines => {
    let x = hosts.get(h);
    if (!x) hosts.set(h, (x = { changes: [], unverified: [], failures: [] }));
    return x;
  };
  for (const play of report.plays)
    for (const task of play.tasks)
      for (const [host, e] of Object.entries(task.hosts)) {
        const title = `**${md(task.name)}**${where(task)}`;
        if (e.interrupted) of(host).failures.push(`- ${title}: interrupted: ${md(messageOf(e))}`);
        else if (e.status === 'failed' && !e.ignored) of(host).failures.push(`- ${title}: ${md(messageOf(e))}`);
        else if (e.status === 'unreachable') of(host).failures.push(`- ${title}: unreachable: ${md(messageOf(e))}`);
        else if (e.status === 'changed' && e.check_unknown) of(host).unverified.push(`- ${title}: would change, cannot verify: ${md(typeof e.result.check_unknown === 'string' ? e.result.check_unknown : messageOf(e))}${diffBlock(e.diff ?? [])}`);
        else if (e.status === 'changed') of(host).changes.push(`- ${title}${diffBlock(e.diff ?? [])}`);
      }
  return hosts;
}

export function renderMarkdown(report: RunReport, cwd: string): string {
  const check = report.check_mode;
  const changedWord = check ? 'would change' : 'changed';
  const stats = Object.entries(report.stats);
  const changedHosts = stats.filter(([, s]) => s.changed > 0).length;
  const failedHosts = stats.filter(([, s]) => s.failed > 0 || s.unreachable > 0).length;
  const state = report.exit_code === null ? 'running' : `exit ${report.exit_code}`;
  const out: string[] = [
    `## kelpie ${check ? 'check run' : 'run'}: ${stats.length} host${stats.length === 1 ? '' : 's'}, ${changedHosts} ${changedWord}, ${failedHosts} failed (${state})`,
    '',
  ];
  if (report.playbooks.length) out.push(`Playbook${report.playbooks.length > 1 ? 's' : ''}: ${report.playbooks.map((p) => `\`${relative(cwd, p) || p}\``).join(', ')}${report.shard ? ` · shard ${report.shard}` : ''}`, '');
  if (report.error || report.interrupted) out.push(`> **Stopped:** ${md(report.error ?? `interrupted by ${report.interrupted}`)}`, '');
  if (stats.length) {
    out.push('| host | ok | changed | unreachable | failed | skipped | rescued | ignored |', '|---|---|---|---|---|---|---|---|');
    for (const [h, s] of stats) out.push(`| ${md(h)}${report.not_attempted.includes(h) ? ' (not attempted)' : ''} | ${s.ok} | ${s.changed} | ${s.unreachable} | ${s.failed} | ${s.skipped} | ${s.rescued} | ${s.ignored} |`);
    out.push('');
  }
  const hosts = collect(report, cwd);
  for (const [host, x] of [...hosts].sort(([a], [b]) => a.localeCompare(b))) {
    if (!x.changes.length && !x.unverified.length && !x.failures.length) continue;
    out.push(`### ${md(host)}`, '');
    if (x.failures.length) out.push('Failed:', '', ...x.failures, '');
    if (x.unverified.length) out.push(`:warning: Check mode cannot verify (${x.unverified.length}):`, '', ...x.unverified, '');
    if (x.changes.length) out.push(`${check ? 'Would change' : 'Changed'} (${x.changes.length}):`, '', ...x.changes, '');
  }
  if (![...hosts.values()].some((x) => x.changes.length || x.unverified.length || x.failures.length) && report.exit_code !== null && !report.error) {
    out.push(check ? 'Nothing would change.' : 'Nothing changed.', '');
  }
  return out.join('\n');
}
