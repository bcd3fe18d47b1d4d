/** Lab hosts with the demo's roles: the lab's inventory merged with the roles' groups. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Lab } from '../../src/lab/index.js';
import { demoGroups, type DemoRole } from '../../src/lab/demoLayout.js';

/** The lab's inventory (connection vars) merged with the roles' groups, as one YAML file the harness passes with -i. */
export function withGroups(lab: Lab, roles: DemoRole[][], file = 'test-inventory.yaml'): Lab {
  const inv = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: unknown; vars?: Record<string, unknown> } };
  const groups = parse(demoGroups(lab.hosts.map((host, i) => ({ host, roles: roles[i] ?? [] })))) as { all: { vars: Record<string, unknown>; children: unknown } };
  const combined = join(lab.stateDir, file);
  writeFileSync(combined, stringify({ all: { hosts: inv.all.hosts, vars: { ...inv.all.vars, ...groups.all.vars }, children: groups.all.children } }));
  return { ...lab, inventoryFile: combined };
}
