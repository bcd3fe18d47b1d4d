/**
 * How a looped task's lines name each item, include_tasks' `included:` lines too: as
 * loop_control.label says, else Python's str() of the item ({'name': 'c'}), None for a no_log
 * one; the lines ansible-playbook printed for the same playbook are recorded in
 * test/fixtures/ansible-golden/item-labels by record.sh.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/ansible-golden/item-labels');

/** The lines that name an item, with the fixture directory as <dir>, and the exit code. */
function itemLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/ \**$/, '').replaceAll(DIR, '<dir>'))
    .filter((l) => /\(item=|^rc=/.test(l));
}

describe('loop items in the plain output: as ansible-playbook names them', () => {
  it('labels, dicts as Python prints them, None for no_log, in included: lines too', async () => {
    const golden = readFileSync(join(DIR, 'labels.golden'), 'utf8');
    const r = await runCli(['playbook', '-i', join(DIR, 'inventory.ini'), join(DIR, 'labels.yaml')]);
    assert.deepEqual(itemLines(`${r.out}\nrc=${r.code}`), itemLines(golden));
  });
});
