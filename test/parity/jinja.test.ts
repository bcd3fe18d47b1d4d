/**
 * The Jinja corpus itself (its comparison with Ansible runs in parity.test.ts): large
 * enough, every case recorded, and gaps.yaml naming only cases that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { goldenPath, loadCorpus } from './jinja/corpus.js';
import { jinjaGaps } from './jinja/area.js';

describe('parity: the Jinja corpus', () => {
  const files = loadCorpus();

  it('has at least 500 cases, each with a golden recorded from ansible-playbook', () => {
    const total = files.reduce((n, f) => n + f.cases.length, 0);
    assert.ok(total >= 500, `only ${total} cases`);
    const missing = files.flatMap((f) => {
      const golden = existsSync(goldenPath(f.name)) ? (JSON.parse(readFileSync(goldenPath(f.name), 'utf8')) as Record<string, unknown>) : {};
      return f.cases.filter((c) => !(c.key in golden)).map((c) => `${f.name}/${c.key}`);
    });
    assert.deepEqual(missing, [], 'record them: npm run parity:record -- jinja');
  });

  it('gaps.yaml names only cases of the corpus', () => {
    const ids = new Set(files.flatMap((f) => f.cases.map((c) => `${f.name}/${c.key}`)));
    assert.deepEqual(Object.keys(jinjaGaps()).filter((id) => !ids.has(id)), []);
  });
});
