/**
 * A hostile host (lab): its hostname, os-release fields, interface names, command output,
 * file contents and file names carry template syntax and shell metacharacters (see
 * fixtures/hostile-host/make-hostile.yml). Whatever a playbook does with them, nothing is
 * evaluated on the controller (/tmp/kelpie-pwned never appears, EVALUATED is never printed)
 * and no shell on the host runs them (/tmp/host-pwned never appears there), on every output
 * path: plain, --json, -vvv and `kelpie facts`. Values match Ansible's recorded answers.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';
import { runPlaybook, useLab } from '../helpers/labHarness.js';
import { compareWithGolden, loadGolden } from './golden.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (f: string): string => join(here, 'fixtures/hostile-host', f);
const CONTROLLER_MARKER = '/tmp/kelpie-pwned';

const golden = loadGolden('hostile-host');

/** kelpie gathers a fact Ansible 2.14 does not have; its value is the host's text, unrendered. */
const KELPIE_ONLY: Record<string, unknown> = {
  'os-release pretty name (a kelpie fact)': "{{ 'evaluated' | upper }} $(touch /tmp/host-pwned)",
};

function assertNothingEvaluated(out: string): void {
  assert.equal(existsSync(CONTROLLER_MARKER), false, `${CONTROLLER_MARKER} was created on the controller`);
  assert.doesNotMatch(out, /EVALUATED/);
}

describe('security: a hostile host (lab)', function () {
  this.timeout(600_000);
  const lab = useLab('hostile', 2);

  before(async () => {
    rmSync(CONTROLLER_MARKER, { force: true });
    const made = await runPlaybook(lab.lab(), fixture('make-hostile.yml'));
    assert.equal(made.code, 0, made.out);
  });

  it('plain and --json: every value is the host\'s literal text, as Ansible shows it; nothing ran anywhere', async () => {
    const r = await runPlaybook(lab.lab(), fixture('attack.yml'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(golden.controller_marker_created, false);
    const compared = compareWithGolden(r.report, golden, { differs: KELPIE_ONLY });
    assert.ok(compared >= 15, `only ${compared} tasks compared`);
    assertNothingEvaluated(r.out + r.err + JSON.stringify(r.report));
    assert.match(r.out, /\(item=e\{\{7\*6\}\}\)/);
    const markers = r.report.plays[0]!.tasks.find((t) => t.name === 'host markers')!;
    assert.deepEqual(Object.values(markers.hosts)[0]!.result.msg, [false, false, false], 'a shell on the host ran host data');
  });

  it('-vvv: the same, with every command and result printed', async () => {
    const r = await runPlaybook(lab.lab(), fixture('attack.yml'), ['-vvv']);
    assert.equal(r.code, 0, r.out + r.err);
    assertNothingEvaluated(r.out + r.err);
    assert.match(r.out, /"msg":"\{\{lookup\(\\"pipe\\",\\"touch\$\{IFS\}\/tmp\/kelpie-pwned\\"\)\}\}"/);
  });

  it('kelpie facts prints the hostile facts as text', async () => {
    const h = lab.lab().hosts[0]!;
    const r = await runCli(['facts', h.name, '-i', lab.lab().inventoryFile]);
    assert.equal(r.code, 0, r.out + r.err);
    assertNothingEvaluated(r.out + r.err);
    assert.match(r.out, /"hostname": "\{\{lookup\(\\"pipe\\",\\"touch\$\{IFS\}\/tmp\/kelpie-pwned\\"\)\}\}"/);
    assert.match(r.out, /"e\{\{7\*6\}\}"/);
  });
});
