/** Boolean keywords and arguments take exactly Ansible's spellings (recorded from ansible-playbook). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBool } from '../../src/modules/argspec.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/ansible-golden/booleans.txt');

describe('booleans: the spellings Ansible accepts', () => {
  const rows = readFileSync(golden, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const cut = l.lastIndexOf(' ');
      return { value: JSON.parse(l.slice(0, cut)) as unknown, verdict: l.slice(cut + 1) };
    });

  it('the golden covers true, false and refused values', () => {
    assert.deepEqual(new Set(rows.map((r) => r.verdict)), new Set(['true', 'false', 'error']));
  });

  for (const { value, verdict } of rows) {
    it(`${JSON.stringify(value)} is ${verdict}`, () => {
      const b = toBool(value);
      assert.equal(b === undefined ? 'error' : String(b), verdict);
    });
  }
});
