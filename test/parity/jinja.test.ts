/**
 * kelpie's templating against the Jinja corpus recorded with ansible-playbook 2.14
 * (test/parity/golden/jinja/). No Ansible needed. A case kelpie does not match yet is
 * listed in test/parity/jinja/known-mismatches.json; any other difference is a regression.
 */
import assert from 'node:assert/strict';
import { loadCorpus } from './jinja/corpus.js';
import { formatMismatch, jinjaParity, knownMismatches, type JinjaParity } from './jinja/summary.js';

describe('parity: Jinja expressions and templates against Ansible 2.14', () => {
  let parity: JinjaParity;
  before(() => {
    parity = jinjaParity();
  });

  it('the corpus has at least 500 cases, each with a recorded golden', () => {
    assert.ok(parity.total >= 500, `only ${parity.total} cases`);
    const missing = parity.mismatches.filter((m) => !m.golden).map((m) => `${m.file} ${m.key}`);
    assert.deepEqual(missing, [], 'cases without a golden: run npm run parity:record:jinja');
  });

  it('every case renders as Ansible renders it, except the listed known mismatches', () => {
    const known = knownMismatches();
    const unexpected = parity.mismatches.filter((m) => !(known[m.file] ?? []).includes(m.key));
    assert.equal(unexpected.length, 0, `new differences from Ansible:\n${unexpected.map(formatMismatch).join('\n')}`);
  });

  it('the known-mismatch list names only cases of the corpus', () => {
    const keys = new Map(loadCorpus().map((f) => [f.name, new Set(f.cases.map((c) => c.key))]));
    const stale = Object.entries(knownMismatches()).flatMap(([file, list]) => list.filter((k) => !keys.get(file)?.has(k)).map((k) => `${file} ${k}`));
    assert.deepEqual(stale, []);
  });
});
