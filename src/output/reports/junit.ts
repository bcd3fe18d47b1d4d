/**
 * JUnit XML in the layout of Ansible's junit callback (with JUNIT_HIDE_TASK_ARGUMENTS): a
 * testcase per task × host named `[host] play: task`, classname `file:line`; a failure
 * carries the result's msg; a skip carries its reason. Unlike the callback (one suite per
 * playbook, unreachable hosts left out) each play is a testsuite, and an unreachable host is
 * an <error>, so CI shows it.
 */
import { wholePlays, type HostEntry, type PlayEntry, type RunReport, type TaskEntry } from '../record.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML and drops the characters XML 1.0 cannot hold at all. */
export function xmlText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const dump = (result: Record<string, unknown>): string => JSON.stringify(result, null, 4);

function messageOf(e: HostEntry): string {
  const r = e.result;
  if (typeof r.msg === 'string' && r.msg) return r.msg;
  if (typeof r.censored === 'string') return r.censored;
  return `rc=${String(r.rc ?? 0)}`;
}

interface Case {
  xml: string;
  failed: boolean;
  errored: boolean;
  skipped: boolean;
  ms: number;
}

function testCase(play: PlayEntry, task: TaskEntry, host: string, e: HostEntry): Case {
  const name = xmlText(`[${host}] ${play.name}: ${task.name}`);
  const classname = xmlText(task.file ? `${task.file}:${task.line ?? 0}` : task.action);
  const open = `\t\t<testcase classname="${classname}" name="${name}" time="${seconds(e.duration_ms)}">`;
  const c = { failed: false, errored: false, skipped: false, ms: e.duration_ms };
  let body: string;
  if (e.interrupted) {
    c.errored = true;
    body = `\t\t\t<error message="${xmlText(messageOf(e))}" type="interrupted">${xmlText(dump(e.result))}</error>`;
  } else if (e.status === 'unreachable') {
    c.errored = true;
    body = `\t\t\t<error message="${xmlText(messageOf(e))}" type="unreachable">${xmlText(dump(e.result))}</error>`;
  } else if (e.status === 'failed' && !e.ignored) {
    c.failed = true;
    body = `\t\t\t<failure message="${xmlText(messageOf(e))}" type="failure">${xmlText(dump(e.result))}</failure>`;
  } else if (e.status === 'skipped') {
    c.skipped = true;
    const reason = e.result.skip_reason ?? e.result.skipped_reason ?? e.result.msg;
    body = `\t\t\t<skipped>${xmlText(typeof reason === 'string' ? reason : 'skipped')}</skipped>`;
  } else body = `\t\t\t<system-out>${xmlText(dump(e.result))}</system-out>`;
  return { ...c, xml: `${open}\n${body}\n\t\t</testcase>` };
}

interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

const counts = (t: Totals): string => `disabled="0" errors="${t.errors}" failures="${t.failures}"`;

export function renderJunit(report: RunReport): string {
  const all: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites = wholePlays(report.plays).map((play) => {
    const cases = play.tasks.flatMap((task) => Object.entries(task.hosts).map(([host, e]) => testCase(play, task, host, e)));
    const t: Totals = {
      tests: cases.length,
      failures: cases.filter((c) => c.failed).length,
      errors: cases.filter((c) => c.errored).length,
      skipped: cases.filter((c) => c.skipped).length,
      ms: cases.reduce((n, c) => n + c.ms, 0),
    };
    for (const k of Object.keys(all) as (keyof Totals)[]) all[k] += t[k];
    const head = `\t<testsuite ${counts(t)} name="${xmlText(play.name)}" skipped="${t.skipped}" tests="${t.tests}" time="${seconds(t.ms)}">`;
    return [head, ...cases.map((c) => c.xml), '\t</testsuite>'].join('\n');
  });
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites ${counts(all)} tests="${all.tests}" time="${seconds(report.duration_ms || all.ms)}">`, ...suites, '</testsuites>', ''].join('\n');
}
