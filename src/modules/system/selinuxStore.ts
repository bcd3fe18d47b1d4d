/**
 * The SELinux policy store as semodule shows it. `semodule --list-modules=full` gives
 * `PRIO NAME KIND [disabled]`, one line per module and priority (the highest priority is
 * the active one); older semodule only has `-l` (`name` or `name<TAB>version[<TAB>Disabled]`).
 */
import { sh } from '../../shell/quote.js';
import type { ReadContext } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';

export interface StoreModule {
  name: string;
  /** Priorities the module is installed at, highest first; empty when only `-l` was available. */
  priorities: number[];
  enabled: boolean;
}

export function parseSemoduleFull(text: string): Map<string, StoreModule> {
  const out = new Map<string, StoreModule>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+(\S+)(\s+disabled)?\s*$/.exec(line);
    if (!m) continue;
    const prio = Number(m[1]);
    const cur = out.get(m[2]!) ?? { name: m[2]!, priorities: [], enabled: true };
    cur.priorities.push(prio);
    cur.priorities.sort((a, b) => b - a);
    // The active instance is the highest priority one; its flag decides.
    if (cur.priorities[0] === prio) cur.enabled = !m[4];
    out.set(m[2]!, cur);
  }
  return out;
}

export function parseSemoduleList(text: string): Map<string, StoreModule> {
  const out = new Map<string, StoreModule>();
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (!w[0]) continue;
    out.set(w[0], { name: w[0], priorities: [], enabled: !/disabled/i.test(w.slice(1).join(' ')) });
  }
  return out;
}

export type StoreRead = { ok: true; modules: Map<string, StoreModule>; full: boolean } | { ok: false; msg: string };

/** One round trip: the full listing, or `-l` where semodule predates it. */
export async function readStore(ctx: ReadContext, extra: Record<string, ReturnType<typeof sh>> = {}): Promise<{ store: StoreRead; extra: Record<string, { rc: number; stdout: string }> }> {
  const p: Record<string, { rc: number; stdout: string }> = await probeBatch(ctx, {
    ...extra,
    full: { cmd: sh`semodule --list-modules=full`, mergeStderr: true },
    list: { cmd: sh`semodule -l`, mergeStderr: true },
  });
  const rest = Object.fromEntries(Object.keys(extra).map((k) => [k, p[k]!]));
  const full = p.full!;
  const list = p.list!;
  if (full.rc === 0) return { store: { ok: true, modules: parseSemoduleFull(full.stdout), full: true }, extra: rest };
  if (list.rc === 0) return { store: { ok: true, modules: parseSemoduleList(list.stdout), full: false }, extra: rest };
  const why = list.stdout.trim() || full.stdout.trim();
  const msg = /not found/.test(why) || list.rc === 127
    ? 'semodule is not installed (Debian: policycoreutils + semodule-utils; Red Hat: policycoreutils)'
    : `semodule cannot read the policy store: ${why.split('\n').slice(-2).join(' ')}`;
  return { store: { ok: false, msg }, extra: rest };
}

/** The distribution's directory of policy module packages. */
export function defaultPolicyDir(family: string): string {
  return family === 'RedHat' ? '/usr/share/selinux/targeted' : '/usr/share/selinux/default';
}

/** Text of the store for diffs: `NAME (enabled, priority 100)`. */
export function describeModule(name: string, m: StoreModule | undefined): string {
  if (!m) return `${name}: absent\n`;
  const pr = m.priorities.length ? `, priority ${m.priorities.join('/')}` : '';
  return `${name}: ${m.enabled ? 'enabled' : 'disabled'}${pr}\n`;
}
