/**
 * Host data is text: every path a host's output can take on the controller (register,
 * set_fact, vars, loops, slurp, hostvars, lookups, include parameters, the template module,
 * conditionals, include_vars of a fetched file) against Ansible's recorded answers. The
 * "host" is this machine over the local connection; its output carries template syntax that,
 * rendered, would create ./pwned beside the playbook and print EVALUATED.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRun } from '../helpers/runCli.js';

const here = dirname(fileURLToPath(import.meta.url));

interface GoldenTask {
  status: string;
  msg?: string;
  items?: { msg?: string; item?: unknown }[];
  [key: string]: unknown;
}
const golden = JSON.parse(readFileSync(join(here, 'goldens/host-data.ansible.json'), 'utf8')) as {
  tasks: Record<string, GoldenTask>;
  controller_files_created: string[];
};

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

interface Report {
  plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
}

function labDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-hostdata-'));
  cpSync(join(here, 'fixtures/host-data'), dir, { recursive: true });
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  return dir;
}

/** lookup('pipe') runs in the playbook's directory in Ansible; look in the working directory too. */
function assertNoMarkers(dir: string): void {
  for (const d of [dir, process.cwd()]) for (const f of ['pwned', 'pwned-include', 'shell-pwned']) assert.equal(existsSync(join(d, f)), false, `${join(d, f)} was created`);
}

async function run(dir: string, flags: string[]): Promise<CliRun> {
  return runCli(['playbook', join(dir, 'playbook.yml'), '-i', join(dir, 'inventory.yml'), ...flags]);
}

describe('security: host data is never templated on the controller (local host, Ansible goldens)', function () {
  this.timeout(120_000);
  let dir: string;
  let plain: CliRun;
  let report: Report;

  before(async () => {
    dir = labDir();
    plain = await run(dir, ['--json', join(dir, 'report.json')]);
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  });

  it('runs the playbook to the end (exit 0; the refused conditional is ignore_errors)', () => {
    assert.equal(plain.code, 0, plain.out + plain.err);
  });

  it('shows every value exactly as Ansible does, on every path', () => {
    const tasks = new Map(report.plays.flatMap((p) => p.tasks).map((t) => [t.name, Object.values(t.hosts)[0]]));
    let compared = 0;
    for (const [name, want] of Object.entries(golden.tasks)) {
      if (NOT_A_RESULT.has(name)) continue;
      const got = tasks.get(name);
      assert.ok(got, `task '${name}' missing from kelpie's report`);
      const expected = STRICTER_THAN_ANSIBLE[name] ?? want.msg;
      assert.equal(got.status, want.status, name);
      if (want.status === 'failed') {
        // kelpie's message has its own location prefix; the reason is Ansible's words
        assert.match(String(got.result.msg), /Conditional is marked as unsafe, and cannot be evaluated\.$/, name);
      } else if (want.items) {
        const items = got.result.results as Record<string, unknown>[];
        assert.deepEqual(items.map((i) => ({ msg: i.msg, item: i.item })), want.items, name);
      } else if (expected !== undefined) {
        assert.equal(got.result.msg, expected, name);
      } else {
        for (const [k, v] of Object.entries(want)) if (k !== 'status') assert.deepEqual(got.result[k], v, `${name}: ${k}`);
      }
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} paths compared`);
    // the mark is precise, not blanket: a raw block stored by set_fact is templated again, as in Ansible
    assert.equal(tasks.get('set_fact of a raw block is templated again')?.result.msg, 'SAFE');
  });

  it('nothing ran on the controller: no marker file, EVALUATED never printed', () => {
    assert.deepEqual(golden.controller_files_created, ['pwned-include'], 'the golden shows Ansible evaluating the fetched vars file');
    assertNoMarkers(dir);
    assert.doesNotMatch(plain.out, /EVALUATED/);
    assert.match(plain.out, /\(item=\{\{ lookup\('pipe', 'touch pwned'\) \}\}/, 'the loop item is printed as its literal text');
  });

  it('the -vvv output path does not evaluate it either', async () => {
    const again = labDir();
    const r = await run(again, ['-vvv']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out + r.err, /EVALUATED/);
    assert.match(r.out, /"msg":"pre \{\{ lookup\('pipe', 'touch pwned'\) \}\}/);
    assertNoMarkers(again);
  });
});
