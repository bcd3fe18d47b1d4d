/**
 * A hostile host (lab): its hostname, os-release fields, interface names, command output,
 * file contents and file names carry template syntax and shell metacharacters (see
 * fixtures/hostile-host/make-hostile.yml). Whatever a playbook does with them, nothing is
 * evaluated on the controller (/tmp/kelpie-pwned never appears, EVALUATED is never printed)
 * and no shell on the host runs them (/tmp/host-pwned never appears there), on every output
 * path: plain, --json, -vvv and `kelpie facts`. Values match Ansible's recorded answers.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';
import { runPlaybook, useLab, type PlaybookRun } from '../helpers/labHarness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (f: string): string => join(here, 'fixtures/hostile-host', f);
const CONTROLLER_MARKER = '/tmp/kelpie-pwned';

interface GoldenTask {
  status: string;
  msg?: unknown;
  items?: Record<string, unknown>[];
  cmd?: unknown;
  stat?: unknown;
}
const golden = JSON.parse(readFileSync(join(here, 'goldens/hostile-host.ansible.json'), 'utf8')) as {
  tasks: Record<string, GoldenTask>;
  controller_marker_created: boolean;
};

/** kelpie gathers a fact Ansible 2.14 does not have; its value is the host's text, unrendered. */
const KELPIE_ONLY: Record<string, unknown> = {
  'os-release pretty name (a kelpie fact)': "{{ 'evaluated' | upper }} $(touch /tmp/host-pwned)",
};

function compareWithGolden(run: PlaybookRun): number {
  const tasks = new Map(run.report.plays.flatMap((p) => p.tasks).map((t) => [t.name, Object.values(t.hosts)[0]!]));
  let compared = 0;
  for (const [name, want] of Object.entries(golden.tasks)) {
    if (want.cmd !== undefined || want.stat !== undefined) continue; // module results: the debug tasks after them compare
    const got = tasks.get(name);
    assert.ok(got, `task '${name}' missing`);
    assert.equal(got.status, want.status, name);
    if (want.items) {
      const items = (got.result.results as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.keys(want.items![0]!).map((k) => [k, r[k]])));
      assert.deepEqual(items, want.items, name);
    } else assert.deepEqual(got.result.msg, name in KELPIE_ONLY ? KELPIE_ONLY[name] : want.msg, name);
    compared++;
  }
  return compared;
}

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
    const compared = compareWithGolden(r);
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
