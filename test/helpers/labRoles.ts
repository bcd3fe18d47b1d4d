/**
 * A lab whose hosts play the demo roles (src/lab/demoLayout.ts): stand-ins installed per
 * role, and one inventory file with the lab's connection variables plus the roles' groups
 * and variables, for the playbook lab tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import assert from 'node:assert/strict';
import { runInHost, type Lab, type LabHost } from '../../src/lab/index.js';
import { demoGroups, prepareRoles, type DemoRole } from '../../src/lab/demoLayout.js';

/** Installs each host's stand-ins and returns the lab with the combined inventory (hosts without roles join no group). */
export async function labWithRoles(lab: Lab, roles: readonly (readonly DemoRole[])[], extraVars: Record<string, unknown> = {}): Promise<Lab> {
  for (const [i, host] of lab.hosts.entries()) await prepareRoles(host, roles[i] ?? []);
  const inv = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: unknown; vars?: Record<string, unknown> } };
  const groups = parse(demoGroups(lab.hosts.map((host, i) => ({ host, roles: roles[i] ?? [] })), extraVars)) as {
    all: { vars: Record<string, unknown>; children: unknown };
  };
  const file = join(lab.stateDir, 'roles-inventory.yaml');
  writeFileSync(file, stringify({ all: { hosts: inv.all.hosts, vars: { ...inv.all.vars, ...groups.all.vars }, children: groups.all.children } }));
  return { ...lab, inventoryFile: file };
}

/** Runs a shell script inside a lab host (as root, not over SSH); fails the test unless it exits 0. */
export async function shOk(host: LabHost, script: string): Promise<string> {
  const r = await runInHost(host, ['sh', '-c', script]);
  assert.equal(r.rc, 0, `${script}: ${r.stderr}`);
  return r.stdout;
}
