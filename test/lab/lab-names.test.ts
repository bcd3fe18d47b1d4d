/**
 * `npm test` runs test files concurrently (test/run.ts), and labUp replaces a running lab of
 * the same name: two files with one lab name would tear down each other's hosts. Every lab
 * a test file starts by a literal name must have a name no other file uses.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = fileURLToPath(new URL('..', import.meta.url));

/** useLab('x', …), labUp(n, { name: 'x' }) and `const LAB = 'x'` (passed to either). */
const LAB_NAME = /useLab\(\s*'([^']+)'|labUp\([^)]*name:\s*'([^']+)'|const LAB = '([^']+)'/g;

describe('lab names of the test files', () => {
  it('are unique across files, so concurrent files never share a lab', () => {
    const owners = new Map<string, string[]>();
    const files = readdirSync(testDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('fixtures/'));
    for (const file of files) {
      const names = new Set([...readFileSync(join(testDir, file), 'utf8').matchAll(LAB_NAME)].map((m) => m[1] ?? m[2] ?? m[3] ?? ''));
      for (const name of names) owners.set(name, [...(owners.get(name) ?? []), file]);
    }
    assert.ok(owners.size >= 10, `found the lab tests' names (${[...owners.keys()].join(', ')})`);
    const shared = [...owners].filter(([, fs]) => fs.length > 1).map(([n, fs]) => `${n}: ${fs.join(', ')}`);
    assert.deepEqual(shared, [], 'lab names used by more than one file');
  });
});
