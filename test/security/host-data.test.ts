/**
 * Host data is text: every path a host's output can take on the controller (register,
 * set_fact, vars, loops, slurp, hostvars, lookups, include parameters, the template module,
 * conditionals, include_vars of a fetched file) against Ansible's recorded answers. The
 * "host" is this machine over the local connection; its output carries template syntax that,
 * rendered, would create ./pwned beside the playbook and print EVALUATED.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithGolden, loadGolden, runLocalFixture, type LocalRun } from './golden.js';

const golden = loadGolden('host-data');

/**
 * Where kelpie deliberately differs from Ansible, and why. Ansible templates the values of a
 * vars file on the controller even when fetch brought it from a host; kelpie remembers which
 * files fetch wrote and reads them as host data, as issue 9 requires.
 */
const STRICTER_THAN_ANSIBLE: Record<string, string> = {
  'include_vars of a fetched file': "{{ lookup('pipe', 'touch pwned-include') }}{{ 'evaluated' | upper }}",
};
/** Ansible's include_tasks reports itself as a result; kelpie shows the included tasks only. */
const NOT_A_RESULT = new Set(['include_tasks parameter']);

/** lookup('pipe') runs in the playbook's directory in Ansible; look in the working directory too. */
function assertNoMarkers(dir: string): void {
  for (const d of [dir, process.cwd()]) for (const f of ['pwned', 'pwned-include', 'shell-pwned']) assert.equal(existsSync(join(d, f)), false, `${join(d, f)} was created`);
}

describe('security: host data is never templated on the controller (local host, Ansible goldens)', function () {
  this.timeout(120_000);
  let plain: LocalRun;

  before(async () => {
    plain = await runLocalFixture('host-data');
  });

  it('runs the playbook to the end (exit 0; the refused conditional is ignore_errors)', () => {
    assert.equal(plain.code, 0, plain.out + plain.err);
  });

  it('shows every value exactly as Ansible does, on every path', () => {
    const compared = compareWithGolden(plain.report, golden, { differs: STRICTER_THAN_ANSIBLE, skip: NOT_A_RESULT });
    assert.ok(compared >= 20, `only ${compared} paths compared`);
    // the mark is precise, not blanket: a raw block stored by set_fact is templated again, as in Ansible
    const raw = plain.report.plays[0]!.tasks.find((t) => t.name === 'set_fact of a raw block is templated again');
    assert.equal(raw?.hosts.localhost?.result.msg, 'SAFE');
  });

  it('nothing ran on the controller: no marker file, EVALUATED never printed', () => {
    assert.deepEqual(golden.controller_files_created, ['pwned-include'], 'the golden shows Ansible evaluating the fetched vars file');
    assertNoMarkers(plain.dir);
    assert.doesNotMatch(plain.out, /EVALUATED/);
    assert.match(plain.out, /\(item=\{\{ lookup\('pipe', 'touch pwned'\) \}\}/, 'the loop item is printed as its literal text');
  });

  it('the -vvv output path does not evaluate it either', async () => {
    const r = await runLocalFixture('host-data', ['-vvv']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out + r.err, /EVALUATED/);
    assert.match(r.out, /"msg":"pre \{\{ lookup\('pipe', 'touch pwned'\) \}\}/);
    assertNoMarkers(r.dir);
  });
});
