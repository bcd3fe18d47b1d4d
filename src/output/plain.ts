/** Plain Ansible-like lines for CI logs and pipes (no colour unless asked). */
import type { EventSink, HostStats, RunEvent, TaskHostResult, TaskRef } from './events.js';
import { pyStr } from '../template/pyvalue.js';
import { renderFileDiff } from './unifiedDiff.js';

export interface PlainOptions {
  write: (s: string) => void;
  verbosity: number;
  color: boolean;
  diff: boolean;
  /** Above this many hosts, ok/skipped per-host lines collapse into one summary line per task. */
  collapseAbove: number;
}

const C = { green: 32, yellow: 33, red: 31, blue: 34, cyan: 36, magenta: 35, gray: 90 } as const;

function banner(title: string): string {
  const width = 79;
  return `\n${title} ${'*'.repeat(Math.max(3, width - title.length - 1))}`;
}

function compactJson(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * A loop item (or its loop_control.label) as Ansible's `(item=…)` shows it: Python's str() of
 * it, so a dict is `{'name': 'a'}`; a no_log item arrives as null and shows as None.
 */
function itemShown(item: unknown): string {
  return pyStr(item);
}

function hostLabel(r: TaskHostResult): string {
  return r.delegatedTo ? `[${r.host} -> ${r.delegatedTo}]` : `[${r.host}]`;
}

export function plainRenderer(o: PlainOptions): EventSink {
  const paint = (code: number, s: string): string => (o.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  let taskHosts = 0;
  let quiet: Record<string, number> = {};
  /** Hosts whose per-item lines of the current task were printed. */
  const looped = new Set<string>();
  const line = (s: string): void => o.write(s + '\n');

  const showResult = (r: TaskHostResult, item?: unknown): void => {
    const itemText = itemShown(item);
    const itemPart = item !== undefined ? ` => (item=${itemText})` : '';
    const res = r.result;
    const verbose = o.verbosity > 0 ? ` => ${compactJson(res)}` : '';
    if (o.diff && r.diff) for (const d of r.diff) {
      const text = renderFileDiff(d);
      if (text) o.write(text);
    }
    switch (r.status) {
      case 'ok':
      case 'skipped':
        if (item === undefined && taskHosts > o.collapseAbove && o.verbosity === 0) {
          quiet[r.status] = (quiet[r.status] ?? 0) + 1;
          return;
        }
        if (r.status === 'ok') {
          const msg = 'msg' in res && (res.msg !== undefined) && isDebugLike(res) ? ` => ${JSON.stringify({ msg: res.msg }, null, 4)}` : debugVar(res);
          line(paint(C.green, `ok: ${hostLabel(r)}${itemPart}${verbose || msg}`));
        } else line(paint(C.cyan, `skipping: ${hostLabel(r)}${itemPart}${verbose}`));
        return;
      case 'changed':
        line(paint(C.yellow, `changed: ${hostLabel(r)}${itemPart}${verbose}${r.checkUnknown ? ` (check mode: ${String(res.check_unknown)})` : ''}`));
        return;
      case 'unreachable':
        line(paint(C.red, `fatal: ${hostLabel(r)}: UNREACHABLE! => ${compactJson({ changed: false, msg: res.msg, unreachable: true })}`));
        return;
      case 'failed':
        if (r.interrupted) {
          line(paint(C.red, `interrupted: ${hostLabel(r)} => ${compactJson({ msg: res.msg })}`));
          return;
        }
        line(paint(C.red, `${item !== undefined ? `failed: ${hostLabel(r)} (item=${itemText})` : `fatal: ${hostLabel(r)}: FAILED!`} => ${compactJson(res)}`));
        if (r.ignored) line(paint(C.cyan, '...ignoring'));
        return;
    }
  };

  return (e: RunEvent) => {
    switch (e.type) {
      case 'play_start':
        line(banner(`PLAY [${e.name}]${e.batch ? ` (batch ${e.batch.index}/${e.batch.count})` : ''}`));
        if (!e.hosts.length) line(paint(C.cyan, 'skipping: no hosts matched'));
        return;
      case 'task_start':
        taskHosts = e.hosts.length;
        quiet = {};
        looped.clear();
        line(banner(`${e.task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${e.task.name}]`));
        return;
      case 'task_waiting':
        line(paint(C.gray, `[${e.task.name}] still running after ${Math.round(e.elapsedMs / 1000)}s on ${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}: ${e.hosts.join(', ')}`));
        return;
      case 'included': {
        const item = e.item === undefined ? '' : ` => (item=${itemShown(e.item)})`;
        line(paint(C.cyan, `included: ${e.file} for ${e.hosts.join(', ')}${item}`));
        return;
      }
      case 'item_result':
        // an include's own rows print nothing: its `included:` line says what it did
        if (isIncludeRow(e.task, e.result)) return;
        looped.add(e.result.host);
        showResult(e.result, e.result.item === undefined ? '' : e.result.item);
        return;
      case 'host_result':
        if (isIncludeRow(e.task, e.result)) return;
        // Only a loop's aggregate: modules return `results` too (yum's output lines, as in Ansible).
        if (looped.has(e.result.host) && e.result.result.results !== undefined && e.result.status !== 'failed' && e.result.status !== 'unreachable') {
          // per-item lines were printed already; the aggregate line stays quiet like Ansible's
          return;
        }
        showResult(e.result);
        return;
      case 'task_end': {
        const parts = Object.entries(quiet).map(([k, n]) => `${k}=${n}`);
        if (parts.length) line(paint(C.green, `(${parts.join(' ')} hosts not listed)`));
        return;
      }
      case 'handler_notified':
        // Ansible's default callback shows a notification from -vv on
        if (o.verbosity >= 2) line(paint(C.blue, `NOTIFIED HANDLER ${e.handler} for ${e.host}`));
        return;
      case 'warning':
        line(paint(C.magenta, `[WARNING]: ${e.host ? `${e.host}: ` : ''}${e.message}`));
        return;
      case 'debug':
        if (o.verbosity >= e.level) line(paint(C.gray, `${e.host ? `<${e.host}> ` : ''}${e.message}`));
        return;
      case 'interrupted':
        // Ansible's words for Ctrl-C; a SIGTERM says what it was
        line(paint(C.red, e.signal === 'SIGINT' ? ' [ERROR]: User interrupted execution' : ` [ERROR]: Terminated by ${e.signal}`));
        return;
      case 'recap':
        line(banner('PLAY RECAP'));
        for (const [host, s] of Object.entries(e.stats)) line(recapLine(host, s, paint));
        line('');
        return;
      default:
        return;
    }
  };
}

function isIncludeRow(task: TaskRef, r: TaskHostResult): boolean {
  return r.status === 'ok' && (task.action === 'include_tasks' || task.action === 'include_role');
}

/**
 * Whether the plain output shows more of this result than its status: debug's message or
 * variable, the whole result from -v on, check mode's caveat. The live view prints such
 * results as text so they never vanish with the list rows.
 */
export function hasDetail(r: TaskHostResult, verbosity: number): boolean {
  if (verbosity > 0 || r.checkUnknown) return true;
  const res = r.result;
  return r.status === 'ok' && (('msg' in res && res.msg !== undefined && isDebugLike(res)) || debugVar(res) !== '');
}

function isDebugLike(res: Record<string, unknown>): boolean {
  const loopVar = typeof res.ansible_loop_var === 'string' ? res.ansible_loop_var : undefined;
  return Object.keys(res).every((k) => k === 'msg' || k === 'changed' || k === 'failed' || k === 'ansible_loop_var' || k === loopVar || k === '_ansible_verbose_always');
}

function debugVar(res: Record<string, unknown>): string {
  // every result now carries failed: false as well (Ansible's status keys): not a variable
  const status = (k: string): boolean => k === 'changed' || (k === 'failed' && res.failed === false);
  const keys = Object.keys(res).filter((k) => !status(k));
  // a censored (no_log) result is not a variable: Ansible shows it only from -v on
  if (keys.length === 1 && keys[0] !== 'msg' && !['stat', 'ansible_facts', 'results', 'censored'].includes(keys[0]!) && res.changed === false) {
    return ` => ${JSON.stringify({ [keys[0]!]: res[keys[0]!] }, null, 4)}`;
  }
  return '';
}

export function recapLine(host: string, s: HostStats, paint: (c: number, s: string) => string = (_c, x) => x): string {
  const color = s.failed || s.unreachable ? C.red : s.changed ? C.yellow : C.green;
  const field = (k: string, n: number, c: number): string => (n ? paint(c, `${k}=${n}`) : `${k}=${n}`);
  return `${paint(color, host.padEnd(26))}: ${field('ok', s.ok, C.green)}    ${field('changed', s.changed, C.yellow)}    ${field('unreachable', s.unreachable, C.red)}    ${field('failed', s.failed, C.red)}    ${field('skipped', s.skipped, C.cyan)}    ${field('rescued', s.rescued, C.green)}    ${field('ignored', s.ignored, C.magenta)}`;
}
