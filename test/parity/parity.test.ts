/**
 * kelpie against the recorded Ansible goldens, every area (test/parity/README.md). A case
 * passes when identical, or when it differs exactly as its documented deviation or declared
 * gap says; anything else fails with the differing paths.
 */
import assert from 'node:assert/strict';
import { discoverAreas, summaryLine } from './area.js';

// an area on lab hosts has its own test file (area.labTest), run with the other lab files
const areas = (await discoverAreas()).filter((a) => !a.labTest);

describe('parity with Ansible (recorded goldens)', function () {
  this.timeout(600_000);
  for (const area of areas) {
    it(`${area.name}: every case identical or a documented deviation`, async () => {
      const outcomes = await area.run();
      const bad = outcomes.filter((o) => o.verdict === 'different');
      assert.ok(outcomes.length > 0, `${area.name}: no cases ran`);
      assert.deepEqual(bad.map((o) => `${o.id}: ${o.detail}`), [], summaryLine(area.name, outcomes));
    });
  }
});
