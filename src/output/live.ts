/**
 * The live view on a terminal: a frame (liveFrame.ts) redrawn in place at the bottom of the
 * screen, and above it the scrollback, where what matters is printed once and stays:
 * banners of plays, debug output, loop items, failures, diffs, warnings, -v results, and a
 * line per finished task. The frame is removed before the PLAY RECAP.
 *
 * A small renderer of its own rather than listr2: listr2 draws a list of tasks, each with a
 * title, and its own log-update area; this view is a table whose shape depends on the
 * terminal's height, with clocks, and text that must land above it while it is drawn.
 */
import type { EventSink, HostStatus, RunEvent, TaskHostResult } from './events.js';
import { formatDuration, liveFrame, type TerminalSize } from './liveFrame.js';
import { LiveState } from './liveState.js';
import { hasDetail, plainRenderer, type PlainOptions } from './plain.js';
import { SameResults } from './sameResults.js';

export interface LiveOptions extends PlainOptions {
  /** the terminal's size now (it can change while the run goes) */
  size: () => TerminalSize;
  now?: () => number;
  /** how often the clocks are redrawn; 0: only when an event comes (tests call tick()) */
  tickMs?: number;
  /** a frame at most this often: a burst of results is one redraw (what goes above waits with it); 0: every event */
  frameMs?: number;
}

export interface LiveView {
  sink: EventSink;
  /** Resolves when everything queued has been drawn. */
  drained: () => Promise<void>;
  /** Redraws the frame for the clock's time. */
  tick: () => void;
}

const UP = (n: number): string => `\u001b[${n}A`;
const ERASE_DOWN = '\r\u001b[J';
const STATUS_COLOUR: Record<HostStatus, number> = { ok: 32, changed: 33, failed: 31, unreachable: 31, skipped: 36 };
const STATUS_ORDER: readonly HostStatus[] = ['ok', 'changed', 'failed', 'unreachable', 'skipped'];

interface TaskTally {
  label: string;
  startedAt: number;
  counts: Partial<Record<HostStatus, number>>;
}

export function liveRenderer(o: LiveOptions): LiveView {
  const now = o.now ?? Date.now;
  const state = new LiveState();
  const paint = (code: number, s: string): string => (o.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  // the text above the frame is the plain renderer's, so it reads as in a CI log; every ok
  // result is its own line there (the frame shows the rest), so nothing collapses
  let captured = '';
  const plain = plainRenderer({ ...o, collapseAbove: Number.POSITIVE_INFINITY, write: (s) => (captured += s) });
  const textOf = (e: RunEvent): string => {
    captured = '';
    plain(e);
    return captured;
  };
  let drawn = 0;
  let finished = false;
  /** each running task's banner, printed before the first thing it has to say (again when another task spoke since) */
  const banners = new Map<string, string>();
  let bannerShown: string | undefined;
  const tallies = new Map<string, TaskTally>();
  const same = new SameResults();
  let timer: ReturnType<typeof setInterval> | undefined;
  /** text for above the frame, written with the next frame */
  let pending = '';
  let frameDue: ReturnType<typeof setTimeout> | undefined;

  const draw = (): void => {
    if (frameDue) clearTimeout(frameDue);
    frameDue = undefined;
    let out = drawn ? UP(drawn) + ERASE_DOWN : '';
    out += pending;
    pending = '';
    const lines = finished ? [] : liveFrame(state, o.size(), now(), o.color);
    out += lines.map((l) => `${l}\n`).join('');
    drawn = lines.length;
    if (out) o.write(out);
  };
  const update = (above: string): void => {
    pending += above;
    if (!o.frameMs || finished) {
      draw();
      return;
    }
    if (!frameDue) {
      frameDue = setTimeout(draw, o.frameMs);
      frameDue.unref();
    }
  };
  const underBanner = (taskId: string | undefined, text: string): string => {
    if (!text || taskId === undefined || bannerShown === taskId) return text;
    bannerShown = taskId;
    return (banners.get(taskId) ?? '') + text;
  };
  /** a group of hosts as the play lists them; the whole play's hosts as `all N hosts` */
  const hostGroup = (hosts: string[]): string => {
    const order = [...state.hosts.keys()];
    if (hosts.length > 1 && hosts.length === order.length) return `all ${hosts.length} hosts`;
    return [...hosts].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(', ');
  };
  const taskOfHost = (host: string | undefined): string | undefined => (host === undefined ? undefined : state.hosts.get(host)?.taskId);
  const shows = (r: TaskHostResult): boolean => r.status === 'failed' || r.status === 'unreachable' || Boolean(o.diff && r.diff?.length) || hasDetail(r, o.verbosity);
  const summary = (t: TaskTally): string => {
    const counts = STATUS_ORDER.filter((s) => t.counts[s]).map((s) => paint(STATUS_COLOUR[s], `${t.counts[s]} ${s}`));
    const failed = Boolean(t.counts.failed || t.counts.unreachable);
    return `${paint(failed ? 31 : 32, failed ? '✗' : '✓')} ${t.label} · ${counts.join(' · ') || 'no host'} · ${formatDuration(now() - t.startedAt)}\n`;
  };
  const stop = (): void => {
    finished = true;
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const aboveFor = (e: RunEvent): string => {
    switch (e.type) {
      case 'play_start':
        return textOf(e);
      case 'task_start': {
        banners.set(e.task.id, textOf(e));
        const c = state.counter();
        const label = e.task.isHandler ? `handler ${e.task.name}` : c ? `[${c.number}/${c.approximate ? '~' : ''}${c.total}] ${e.task.name}` : e.task.name;
        // under the free strategy every host starts and ends the task on its own: one tally for all
        if (!tallies.has(e.task.id)) tallies.set(e.task.id, { label, startedAt: now(), counts: {} });
        if (!timer && o.tickMs && !finished) {
          timer = setInterval(draw, o.tickMs);
          timer.unref();
        }
        return '';
      }
      case 'item_result':
        // loop items are printed as Ansible prints them; the aggregate result stays quiet then
        return underBanner(e.task.id, textOf(e));
      case 'host_result': {
        const t = tallies.get(e.task.id);
        if (t && !e.result.interrupted) t.counts[e.result.status] = (t.counts[e.result.status] ?? 0) + 1;
        if (!shows(e.result)) return '';
        const text = textOf(e);
        // a failure is news now; anything else waits for the task's end, to be printed once for every host that said it
        if (e.result.status === 'failed' || e.result.status === 'unreachable' || !same.add(e.task.id, e.result.host, text)) return underBanner(e.task.id, text);
        return '';
      }
      case 'task_end': {
        const t = tallies.get(e.task.id);
        if (!t || state.running(e.task.id)) return '';
        tallies.delete(e.task.id);
        const kept = underBanner(e.task.id, same.take(e.task.id, hostGroup));
        banners.delete(e.task.id);
        if (bannerShown === e.task.id) bannerShown = undefined;
        return kept + summary(t);
      }
      case 'warning':
      case 'debug':
        return underBanner(taskOfHost(e.host), textOf(e));
      case 'interrupted':
      case 'recap':
        stop();
        return same.takeAll(hostGroup) + textOf(e);
      case 'playbook_end':
        stop();
        return '';
      case 'task_waiting':
        // the frame's clocks say it, every second
        return '';
      default:
        return textOf(e);
    }
  };

  const sink: EventSink = (e: RunEvent) => {
    state.apply(e, now());
    update(aboveFor(e));
  };
  const drained = (): Promise<void> => {
    if (pending || frameDue) draw();
    return Promise.resolve();
  };
  return { sink, drained, tick: draw };
}
