/**
 * Lab tests: real hosts, real sshd, the real CLI. Under CI=true a missing prerequisite is a
 * failure; elsewhere the suite skips, loudly.
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots, labDown, labPrerequisites, labUp, snapshotUpper, type Lab, type LabHost, type LabUpOptions } from '../../src/lab/index.js';
import { runCli, type CliRun } from './runCli.js';

export interface LabHandle {
  lab(): Lab;
}

/** Starts a lab of `count` hosts for the enclosing describe() and always tears it down. */
export function useLab(name: string, count: number, opts: Omit<LabUpOptions, 'name'> = {}): LabHandle {
  let lab: Lab | undefined;
  before(async function () {
    this.timeout(600_000);
    const pre = await labPrerequisites();
    if (!pre.ok) {
      if (process.env.CI === 'true') throw new Error(`lab prerequisites missing under CI: ${pre.missing.join(', ')}`);
      console.warn(`\n!!!!! SKIPPING lab tests (${name}): missing ${pre.missing.join(', ')} — these tests RUN under CI=true !!!!!\n`);
      this.skip();
    }
    lab = await labUp(count, { ...opts, name });
  });
  after(async function () {
    this.timeout(120_000);
    if (lab) await labDown(name);
  });
  return {
    lab: () => {
      assert.ok(lab, 'lab is up');
      return lab;
    },
  };
}

export interface JsonReport {
  exit_code: number;
  plays: { name: string; hosts: string[]; tasks: { name: string; action: string; handler: boolean; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
  stats: Record<string, { ok: number; changed: number; failed: number; unreachable: number; skipped: number }>;
}

export interface PlaybookRun extends CliRun {
  report: JsonReport;
}

/** The CLI against any inventory, with the JSON report parsed. */
export async function runWithInventory(
  inventory: string,
  playbook: string,
  flags: string[] = [],
  opts: { stdin?: NodeJS.ReadableStream } = {},
): Promise<PlaybookRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-test-'));
  const json = join(dir, 'report.json');
  const r = await runCli(['playbook', playbook, '-i', inventory, '--json', json, ...flags], opts.stdin ? { stdin: opts.stdin } : {});
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.err}\n${r.out}`);
  }
  return { ...r, report };
}

export async function runPlaybook(lab: Lab, playbook: string, flags: string[] = [], limit?: string): Promise<PlaybookRun> {
  return runWithInventory(lab.inventoryFile, playbook, [...(limit ? ['--limit', limit] : []), ...flags]);
}

/** "task name" of every task that reported changed on `host` (handlers included, marked). */
export function changedTasks(report: JsonReport, host: string): string[] {
  const out: string[] = [];
  for (const p of report.plays) for (const t of p.tasks) if (t.hosts[host]?.status === 'changed') out.push(`${t.handler ? 'handler: ' : ''}${t.name}`);
  return out;
}

/** Tasks check mode skipped because it cannot run commands (Ansible's "would have run"). */
export function wouldRunTasks(report: JsonReport, host: string): string[] {
  const out: string[] = [];
  for (const p of report.plays)
    for (const t of p.tasks) {
      const r = t.hosts[host];
      if (r?.status === 'skipped' && /would have run if not in check mode/.test(String(r.result.msg ?? ''))) out.push(`${t.handler ? 'handler: ' : ''}${t.name}`);
    }
  return out;
}

/** Tasks check mode reported as "would change, cannot verify" (they depend on earlier changes). */
export function unverifiedTasks(report: JsonReport, host: string): string[] {
  const out: string[] = [];
  for (const p of report.plays)
    for (const t of p.tasks) {
      const r = t.hosts[host];
      if (r?.status === 'changed' && r.result.check_unknown !== undefined) out.push(`${t.handler ? 'handler: ' : ''}${t.name}`);
    }
  return out;
}

export function totalChanged(report: JsonReport): number {
  return Object.values(report.stats).reduce((n, s) => n + s.changed, 0);
}

/**
 * The check-mode and idempotence contract on one fresh host:
 * 1. --check changes nothing in the host's overlay upper dir;
 * 2. the real run changes exactly the tasks check mode said it would (a command check mode
 *    cannot run is reported as "would have run", as in Ansible, and may change for real);
 * 3. a second run reports changed=0.
 * Returns the three reports for further assertions.
 */
export async function assertContract(lab: Lab, host: LabHost, playbook: string, extra: string[] = []): Promise<{ check: PlaybookRun; apply: PlaybookRun; rerun: PlaybookRun }> {
  const before = await snapshotUpper(host);
  const check = await runPlaybook(lab, playbook, ['--check', '--diff', ...extra], host.name);
  assert.equal(check.code, 0, `check run failed:\n${check.out}\n${check.err}`);
  const afterCheck = await snapshotUpper(host);
  assert.deepEqual(diffSnapshots(before, afterCheck), [], 'check mode left the host byte-for-byte unchanged');
  const apply = await runPlaybook(lab, playbook, extra, host.name);
  assert.equal(apply.code, 0, `real run failed:\n${apply.out}\n${apply.err}`);
  // certain predictions must come true exactly; "would have run" and "cannot verify" may or may not
  const uncertain = new Set([...wouldRunTasks(check.report, host.name), ...unverifiedTasks(check.report, host.name)]);
  const predicted = changedTasks(check.report, host.name).filter((t) => !uncertain.has(t));
  const real = changedTasks(apply.report, host.name);
  assert.deepEqual(real.filter((t) => !uncertain.has(t)), predicted, 'check mode predicted exactly the tasks the real run changed');
  assert.ok(totalChanged(apply.report) > 0, 'the first run changed something');
  const rerun = await runPlaybook(lab, playbook, extra, host.name);
  assert.equal(rerun.code, 0, `second run failed:\n${rerun.out}\n${rerun.err}`);
  assert.deepEqual(changedTasks(rerun.report, host.name), [], 'the second run changed nothing');
  return { check, apply, rerun };
}
