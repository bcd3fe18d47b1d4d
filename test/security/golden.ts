/**
 * Ansible's recorded answers (goldens/*.ansible.json, written by record/*.sh) and the one
 * comparison every security test makes against them: per named task, the status and what
 * the task showed (msg, loop items, a debug var).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRun } from '../helpers/runCli.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface GoldenTask {
  status: string;
  msg?: unknown;
  items?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface Golden {
  recorded_with: string;
  tasks: Record<string, GoldenTask>;
  [key: string]: unknown;
}

export function loadGolden(name: string): Golden {
  return JSON.parse(readFileSync(join(here, 'goldens', `${name}.ansible.json`), 'utf8')) as Golden;
}

export interface Report {
  plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
}

export interface CompareOptions {
  /** Tasks where kelpie deliberately shows something else: the value it shows. */
  differs?: Record<string, unknown>;
  /** Tasks Ansible reports that kelpie has no result line for. */
  skip?: ReadonlySet<string>;
}

/** Compares each named task's first host; module results (cmd, stat) are left to the debug tasks after them. */
export function compareWithGolden(report: Report, golden: Golden, opts: CompareOptions = {}): number {
  const tasks = new Map(report.plays.flatMap((p) => p.tasks).map((t) => [t.name, Object.values(t.hosts)[0]]));
  let compared = 0;
  for (const [name, want] of Object.entries(golden.tasks)) {
    if (opts.skip?.has(name) || want.cmd !== undefined || want.stat !== undefined) continue;
    const got = tasks.get(name);
    assert.ok(got, `task '${name}' missing from kelpie's report`);
    assert.equal(got.status, want.status, name);
    if (opts.differs && name in opts.differs) assert.deepEqual(got.result.msg, opts.differs[name], name);
    else if (want.status === 'failed') {
      // kelpie's message carries its own location; the reason must be Ansible's words
      const reason = String(want.msg).split('The error was: ').pop()!;
      assert.ok(String(got.result.msg).endsWith(reason), `${name}: ${String(got.result.msg)} does not end with ${reason}`);
    } else if (want.items) {
      const keys = Object.keys(want.items[0] ?? {});
      const items = (got.result.results as Record<string, unknown>[]).map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
      assert.deepEqual(items, want.items, name);
    } else {
      for (const [k, v] of Object.entries(want)) if (k !== 'status') assert.deepEqual(got.result[k], v, `${name}: ${k}`);
    }
    compared++;
  }
  return compared;
}

export interface LocalRun extends CliRun {
  /** The fixture's copy the run used (its files, markers and fetched files land here). */
  dir: string;
  report: Report;
}

/** Runs fixtures/<name>/playbook.yml from a fresh copy against localhost (local connection), as record/local.sh does with Ansible. */
export async function runLocalFixture(name: string, flags: string[] = []): Promise<LocalRun> {
  const dir = mkdtempSync(join(tmpdir(), `kelpie-${name}-`));
  cpSync(join(here, 'fixtures', name), dir, { recursive: true });
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  const json = join(dir, 'report.json');
  const r = await runCli(['playbook', join(dir, 'playbook.yml'), '-i', join(dir, 'inventory.yml'), '--json', json, ...flags]);
  return { ...r, dir, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}
