/**
 * The live view on a terminal: one listr2 list per task, a row per host (collapsed into a
 * single progress row above `collapseAbove` hosts), finished rows stay on screen. Banners,
 * diffs, failures and the recap go through the plain renderer so the text matches CI logs.
 */
import { Listr, type ListrTaskWrapper, type ListrDefaultRenderer, type ListrSimpleRenderer } from 'listr2';
import type { EventSink, RunEvent, TaskHostResult } from './events.js';
import { hasDetail, plainRenderer, type PlainOptions } from './plain.js';

type Wrapper = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

/** A row's outcome may arrive before listr2 has started the row: keep it until then. */
class Row {
  wrapper: Wrapper | undefined;
  title: string;
  skipped = false;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (e: Error) => void;
  constructor(title: string) {
    this.title = title;
    this.done = new Promise<void>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }
  setTitle(t: string): void {
    this.title = t;
    if (this.wrapper) this.wrapper.title = t;
  }
  attach(w: Wrapper): Promise<void> {
    this.wrapper = w;
    w.title = this.title;
    if (this.skipped) w.skip(this.title);
    return this.done;
  }
}

export interface LiveView {
  sink: EventSink;
  /** Resolves when everything queued has been drawn. */
  drained(): Promise<void>;
}

export function liveRenderer(o: PlainOptions): LiveView {
  // A pty without a window size (script(1) with no terminal, some CI runners) reports 0
  // columns, and listr2 would wrap every character of a row onto its own line.
  const stdout = process.stdout;
  if (stdout.isTTY && !(stdout.columns > 0)) stdout.columns = 80;
  const plainSink = plainRenderer(o);
  // every screen operation is queued so listr2's asynchronous drawing never reorders lines
  let chain: Promise<void> = Promise.resolve();
  const later = (f: () => void | Promise<void>): void => {
    chain = chain.then(f).catch(() => undefined);
  };
  const plain = (e: RunEvent): void => later(() => plainSink(e));
  let current: { list: Promise<unknown>; rows: Map<string, Row>; collapsed?: Row & { n?: { done: number; total: number; changed: number; failed: number } } } | undefined;

  const finish = async (): Promise<void> => {
    if (!current) return;
    for (const r of current.rows.values()) r.resolve();
    current.collapsed?.resolve();
    await current.list.catch(() => undefined);
    current = undefined;
  };

  const hostTitle = (r: TaskHostResult): string =>
    `${r.host}: ${r.status}${r.status === 'failed' || r.status === 'unreachable' ? ` — ${String(r.result.msg ?? '').split('\n')[0]}` : ''}`;

  const start = (hosts: string[]): void => {
    const rows = new Map<string, Row>();
    let collapsed: Row | undefined;
    let tasks;
    if (hosts.length > o.collapseAbove) {
      collapsed = new Row(`0/${hosts.length} hosts done`);
      const c = collapsed;
      tasks = [{ title: c.title, task: (_: unknown, w: Wrapper) => c.attach(w) }];
    } else {
      tasks = hosts.map((h) => {
        const row = new Row(h);
        rows.set(h, row);
        return { title: h, task: (_: unknown, w: Wrapper) => row.attach(w) };
      });
    }
    const list = new Listr(tasks, { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } });
    current = { list: list.run(), rows, ...(collapsed ? { collapsed: Object.assign(collapsed, { n: { done: 0, total: hosts.length, changed: 0, failed: 0 } }) } : {}) };
  };

  const showHost = (r: TaskHostResult): void => {
    if (!current) return;
    const c = current.collapsed;
    if (c?.n) {
      c.n.done++;
      if (r.status === 'changed') c.n.changed++;
      if (r.status === 'failed' || r.status === 'unreachable') c.n.failed++;
      c.setTitle(`${c.n.done}/${c.n.total} hosts done, ${c.n.changed} changed, ${c.n.failed} failed`);
      return;
    }
    const row = current.rows.get(r.host);
    if (!row) return;
    row.setTitle(hostTitle(r));
    if ((r.status === 'failed' && !r.ignored) || r.status === 'unreachable') row.reject(new Error(hostTitle(r)));
    else {
      if (r.status === 'skipped') {
        row.skipped = true;
        row.wrapper?.skip(row.title);
      }
      row.resolve();
    }
  };

  const sink: EventSink = (e: RunEvent) => {
    switch (e.type) {
      case 'task_start':
        later(finish);
        plain(e);
        later(() => start(e.hosts));
        return;
      case 'host_result':
        later(() => showHost(e.result));
        if (e.result.status === 'failed' || e.result.status === 'unreachable' || (o.diff && e.result.diff) || hasDetail(e.result, o.verbosity)) {
          // details go below the list as plain text, exactly like CI output
          later(finish);
          plain(e);
        }
        return;
      case 'task_end':
        later(finish);
        return;
      case 'item_result':
        // loop items print as in CI logs (Ansible shows every item); the list closes, as for failures
        later(finish);
        plain(e);
        return;
      case 'task_waiting':
        // the rows of hosts still on the task say so, with the time so far; the list stays open
        later(() => {
          for (const host of e.hosts) current?.rows.get(host)?.setTitle(`${host}: running ${Math.round(e.elapsedMs / 1000)}s`);
          current?.collapsed?.setTitle(`${current.collapsed.n ? `${current.collapsed.n.done}/${current.collapsed.n.total} hosts done, ` : ''}${e.hosts.length} still running (${Math.round(e.elapsedMs / 1000)}s)`);
        });
        return;
      default:
        later(finish);
        plain(e);
    }
  };
  return { sink, drained: () => chain };
}
