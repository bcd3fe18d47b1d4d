import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnmatch } from '../src/fnmatch.js';
import { patternsMatch } from '../src/connection/known-hosts.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/fnmatch');
const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8')) as { names: string[]; cases: { pattern: string; matches: string[] }[] };

describe('fnmatch: the one wildcard matcher', () => {
  it("matches exactly what Python's fnmatch.fnmatchcase matches (recorded golden)", () => {
    assert.ok(golden.cases.length > 20);
    for (const { pattern, matches } of golden.cases) {
      assert.deepEqual(golden.names.filter((n) => fnmatch(n, pattern)), matches, `pattern ${JSON.stringify(pattern)}`);
    }
  });

  it('known_hosts patterns: no classes, case-insensitive, negation wins', () => {
    assert.ok(patternsMatch('*.Example.org', 'a.example.ORG'));
    assert.ok(!patternsMatch('[ab].example.org', 'a.example.org'));
    assert.ok(patternsMatch('[ab].example.org', '[ab].example.org'));
    assert.ok(!patternsMatch('*.example.org,!bad.example.org', 'bad.example.org'));
  });
});
