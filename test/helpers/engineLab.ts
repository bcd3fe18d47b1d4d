/** Per-test inventories over a lab's hosts, for engine tests that need other users or extra hosts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Lab, LabHost } from '../../src/lab/index.js';
import { runInHost } from '../../src/lab/index.js';
import { runWithInventory, type JsonReport } from './labHarness.js';
import type { CliRun } from './runCli.js';

export interface InventoryHost {
  name: string;
  vars: Record<string, unknown>;
}

/** The connection vars the lab's own inventory gives a host. */
export function labHostVars(lab: Lab, h: LabHost, user = 'root'): Record<string, unknown> {
  return { ansible_host: h.address, ansible_port: h.port, ansible_user: user, ansible_ssh_private_key_file: lab.privateKeyFile };
}

/** Writes an inventory (all: hosts + vars) to a fresh temp dir and returns its path. */
export function writeInventory(lab: Lab, hosts: InventoryHost[], vars: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-engine-inv-'));
  const file = join(dir, 'inventory.yml');
  const all = { hosts: Object.fromEntries(hosts.map((h) => [h.name, h.vars])), vars: { kelpie_known_hosts: lab.knownHostsFile, ...vars } };
  writeFileSync(file, stringify({ all }, { lineWidth: 0 }));
  return file;
}

/** `stat -c '%U:%G %a %s'` of a path inside a host, or null when missing. */
export async function statIn(host: LabHost, path: string): Promise<string | null> {
  const r = await runInHost(host, ['stat', '-c', '%U:%G %a %s', path]);
  return r.rc === 0 ? r.stdout.trim() : null;
}

/** Leftover kelpie temp files (`.NAME.kelpie-*`) in a directory of a host. */
export async function tempFilesIn(host: LabHost, dir: string): Promise<string[]> {
  const r = await runInHost(host, ['find', dir, '-maxdepth', '1', '-name', '.*.kelpie-*']);
  return r.stdout.split('\n').filter(Boolean);
}

/** The CLI against any inventory, with the JSON report parsed (null when none was written). */
export async function runWith(
  inventory: string,
  playbook: string,
  flags: string[] = [],
  opts: { stdin?: NodeJS.ReadableStream } = {},
): Promise<CliRun & { report: JsonReport }> {
  return runWithInventory(inventory, playbook, flags, opts);
}

/** One host's result of the task named `task` (first match across plays). */
export function resultOf(report: JsonReport, task: string, host: string): { status: string; result: Record<string, unknown> } | undefined {
  for (const p of report.plays) for (const t of p.tasks) if (t.name === task && t.hosts[host]) return t.hosts[host];
  return undefined;
}
