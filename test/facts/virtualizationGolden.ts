/**
 * Ansible's virtualization facts as recorded (test/fixtures/virtualization/), and the
 * comparison kelpie's facts must pass: type and role equal, the tech lists equal as SETS
 * (Ansible returns Python sets, whose order is arbitrary).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIRT_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/virtualization');

type AnsibleVirt = Record<`ansible_virtualization_${'type' | 'role' | 'tech_guest' | 'tech_host'}`, unknown>;

/** The recorded (recorded/NAME.ansible.json) or hand-written (hand-written/NAME.expected.json) facts. */
export function expectedVirt(file: string): AnsibleVirt {
  return JSON.parse(readFileSync(path.join(VIRT_FIXTURES, file), 'utf8')) as AnsibleVirt;
}

const asSet = (v: unknown, where: string) => {
  assert.ok(Array.isArray(v), `${where}: expected a list, got ${JSON.stringify(v)}`);
  return [...(v as string[])].sort();
};

export function assertSameVirt(facts: Record<string, unknown>, expected: AnsibleVirt, where: string): void {
  for (const key of ['type', 'role'] as const) {
    assert.equal(facts[`virtualization_${key}`], expected[`ansible_virtualization_${key}`], `${where}: virtualization_${key}`);
  }
  for (const key of ['tech_guest', 'tech_host'] as const) {
    const name = `virtualization_${key}` as const;
    assert.deepEqual(asSet(facts[name], `${where}: kelpie ${name}`), asSet(expected[`ansible_${name}`], `${where}: ansible ${name}`), `${where}: ${name} (as sets)`);
  }
}
