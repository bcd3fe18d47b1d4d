/**
 * `!unsafe`: a playbook string Ansible never templates (a password holding `{{` or `{%`, say)
 * stays text in vars, nested vars, module arguments, task names and what set_fact copies from
 * it; as a condition it is refused, as Ansible refuses it. It travels in the same box as
 * host data. Ansible's answers: goldens/unsafe-tag.ansible.json.
 */
import assert from 'node:assert/strict';
import { compareWithGolden, loadGolden, runLocalFixture } from './golden.js';

describe('security: !unsafe strings are never templated (local host, Ansible goldens)', function () {
  this.timeout(60_000);

  it('shows each !unsafe value as its text, as Ansible does', async () => {
    const r = await runLocalFixture('unsafe-tag');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(compareWithGolden(r.report, loadGolden('unsafe-tag')), 7);
  });
});
