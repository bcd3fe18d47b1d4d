/**
 * The seed playbooks' set_fact and assert expressions give what Ansible gives: the same
 * generated playbook (test/helpers/seedExpressions.ts) was run by ansible-core 2.14 and
 * its results recorded in test/fixtures/seed-expressions/ansible.json.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPRESSIONS_DIR, buildExpressionPlaybook, resultsByPlay } from '../helpers/seedExpressions.js';
import { runWithInventory } from '../helpers/labHarness.js';

describe("the seed playbooks' expressions match Ansible's results (recorded golden)", () => {
  it('the recorded playbook is the one the current seed playbooks give (else re-run record.ts)', () => {
    assert.equal(buildExpressionPlaybook(), readFileSync(join(EXPRESSIONS_DIR, 'playbook.yaml'), 'utf8'));
  });

  it('kelpie computes the same facts and assertion messages, case by case', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-seed-expr-'));
    const inventory = join(dir, 'inventory.yaml');
    writeFileSync(inventory, 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    const run = await runWithInventory(inventory, join(EXPRESSIONS_DIR, 'playbook.yaml'));
    assert.equal(run.code, 0, run.out + run.err);
    const golden = JSON.parse(readFileSync(join(EXPRESSIONS_DIR, 'ansible.json'), 'utf8')) as { results: Record<string, unknown> };
    const got = resultsByPlay(run.report.plays);
    assert.deepEqual(Object.keys(got), Object.keys(golden.results));
    for (const [play, want] of Object.entries(golden.results)) assert.deepEqual(got[play], want, play);
  });
});
