/**
 * The output of an ad-hoc run, in the shape of Ansible's minimal callback:
 *   host | CHANGED => { …sorted JSON… }       host | SUCCESS => …   host | FAILED! => …
 *   host | CHANGED | rc=0 >>  (command, shell, raw: stdout, stderr and msg as text)
 *   host | SKIPPED            host | UNREACHABLE! => …
 */
import type { EventSink, TaskHostResult } from './events.js';
import { renderFileDiff } from './unifiedDiff.js';

/** Modules whose result Ansible prints as text with its rc rather than as JSON. */
const TEXT_RESULT_MODULES = new Set(['command', 'shell', 'raw']);
const DEBUG_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);

function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sort(v), null, 4);
}

/** What Ansible leaves out on screen: failed (the status says it), diff (printed above), debug's extras. */
function shownResult(action: string, r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const k of ['failed', 'diff', 'invocation']) delete out[k];
  if (action === 'debug' && 'msg' in out) for (const k of Object.keys(out)) if (!DEBUG_KEYS.has(k)) delete out[k];
  return out;
}

function commandText(host: string, caption: string, r: Record<string, unknown>): string {
  const text = (k: string): string => (typeof r[k] === 'string' ? r[k] : '');
  return `${host} | ${caption} | rc=${String(r.rc ?? -1)} >>\n${text('stdout')}${text('stderr')}${text('msg')}\n`;
}

export interface AdhocOptions {
  write: (s: string) => void;
  color: boolean;
  diff: boolean;
  /** the module's canonical name (command, copy …) */
  action: string;
}

export function adhocRenderer(o: AdhocOptions): EventSink {
  const paint = (code: number, s: string): string => (o.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const textual = TEXT_RESULT_MODULES.has(o.action);
  const show = (r: TaskHostResult): void => {
    const res = r.result;
    if (o.diff) for (const d of r.diff ?? []) o.write(renderFileDiff(d));
    switch (r.status) {
      case 'skipped':
        o.write(paint(36, `${r.host} | SKIPPED`) + '\n');
        return;
      case 'unreachable':
        o.write(paint(31, `${r.host} | UNREACHABLE! => ${sortedJson(shownResult(o.action, res))}`) + '\n');
        return;
      case 'failed':
        if (textual && res.module_stderr === undefined) o.write(paint(31, commandText(r.host, 'FAILED', res)));
        else o.write(paint(31, `${r.host} | FAILED! => ${sortedJson(shownResult(o.action, res))}`) + '\n');
        return;
      default: {
        const state = r.status === 'changed' ? 'CHANGED' : 'SUCCESS';
        const color = r.status === 'changed' ? 33 : 32;
        if (textual) o.write(paint(color, commandText(r.host, state, res)));
        else o.write(paint(color, `${r.host} | ${state} => ${sortedJson(shownResult(o.action, res))}`) + '\n');
      }
    }
  };
  return (e) => {
    if (e.type === 'host_result') show(e.result);
    else if (e.type === 'warning') o.write(paint(35, `[WARNING]: ${e.host ? `${e.host}: ` : ''}${e.message}`) + '\n');
  };
}
