/**
 * One ansible-playbook (or kelpie) run covers many cases: every case without its own
 * inventory gets one local host named after it, and its plays target only that host.
 * A case with its own inventory runs alone. Each run gets a fresh root directory, so
 * `{{ d }}` (the case's directory) starts from the case's `files` every time.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PlaybookCase } from './cases.js';

export interface Batch {
  cases: PlaybookCase[];
  root: string;
  playbook: string;
  inventory: string;
  /** case id → the inventory hosts whose results belong to it */
  hostsOf: Map<string, string[]>;
}

/** How every case's host is reached: by default the controller itself (an area may target a real host instead). */
export type HostVars = Record<string, string | number>;
export const LOCAL_HOST_VARS: HostVars = { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' };

/** Splits cases into runs: all shared-inventory cases together, each own-inventory case alone. */
export function planRuns(cases: PlaybookCase[]): PlaybookCase[][] {
  const shared = cases.filter((c) => !c.inventory);
  return [...(shared.length ? [shared] : []), ...cases.filter((c) => c.inventory).map((c) => [c])];
}

export function writeBatch(cases: PlaybookCase[], hostVars: HostVars = LOCAL_HOST_VARS): Batch {
  const root = mkdtempSync(join(tmpdir(), 'kelpie-parity-'));
  const hostsOf = new Map<string, string[]>();
  const hosts: Record<string, Record<string, unknown>> = {};
  const children: Record<string, { hosts: Record<string, null> }> = {};
  const plays: Record<string, unknown>[] = [];
  for (const c of cases) {
    const dir = join(root, c.id);
    mkdirSync(dir, { recursive: true });
    for (const [rel, content] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    if (c.inventory) {
      for (const h of c.inventory.hosts) hosts[h] = { ...hostVars, d: dir, ...(c.inventory.vars?.[h] ?? {}) };
      for (const [g, members] of Object.entries(c.inventory.groups ?? {})) children[g] = { hosts: Object.fromEntries(members.map((m) => [m, null])) };
      hostsOf.set(c.id, c.inventory.hosts);
      plays.push(...c.plays);
    } else {
      hosts[c.id] = { ...hostVars, d: dir };
      hostsOf.set(c.id, [c.id]);
      plays.push(...c.plays.map((p) => ({ ...p, hosts: c.id })));
    }
  }
  const playbook = join(root, 'playbook.yml');
  const inventory = join(root, 'inventory.yml');
  // JSON is YAML both tools read alike: no YAML 1.1/1.2 ambiguity survives into the playbook
  writeFileSync(playbook, JSON.stringify(plays, null, 1) + '\n');
  writeFileSync(inventory, JSON.stringify({ all: { hosts, ...(Object.keys(children).length ? { children } : {}) } }, null, 1) + '\n');
  return { cases, root, playbook, inventory, hostsOf };
}
