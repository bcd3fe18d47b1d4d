/**
 * no_log: a secret carried through args, loop items (with and without a label), a registered
 * result, failing tasks and items, a failing template, a diff and a handler never reaches any
 * output: plain, -v, -vvv, --diff, --check, the live view and the --json report. The status
 * lines match Ansible's, recorded in goldens/no-log.ansible.json (`(item=None)` included).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTerminal } from '../helpers/onTerminal.js';
import { runCli } from '../helpers/runCli.js';

const here = dirname(fileURLToPath(import.meta.url));
const golden = JSON.parse(readFileSync(join(here, 'goldens/no-log.ansible.json'), 'utf8')) as {
  status_lines: Record<'plain' | '-v', string[]>;
  secret_occurrences: Record<string, number>;
  fact_set_under_no_log_printed: boolean;
};
const SECRET = /s3cr3t/;
const STATUS = /^(ok|changed|failed|fatal|skipping): /;

function fixture(): { dir: string; argv: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-nolog-'));
  cpSync(join(here, 'fixtures/no-log'), dir, { recursive: true });
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  return { dir, argv: ['playbook', join(dir, 'playbook.yml'), '-i', join(dir, 'inventory.yml')] };
}

/**
 * A status line reduced to what both tools share: the status, host and item, and whether a
 * censored payload follows (the JSON's spacing and its `failed` key are formatting, not no_log).
 */
function shape(line: string): string {
  const m = / => (\{.*)$/.exec(line);
  if (!m) return line;
  const payload = m[1]!;
  const censored = /"censored":\s*"the output has been hidden due to the fact that 'no_log: true' was specified for this result"/.test(payload);
  // a bare '{' opens a multi-line payload (Ansible's debug at -v); kelpie prints it compactly there
  return line.slice(0, m.index) + (censored ? ' => {censored}' : ' => {…}');
}

async function runAt(flags: string[]): Promise<{ out: string; report: string; code: number }> {
  const { dir, argv } = fixture();
  const r = await runCli([...argv, ...flags, '--json', join(dir, 'report.json')]);
  const report = readFileSync(join(dir, 'report.json'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { out: r.out + r.err, report, code: r.code };
}

describe('security: no_log hides secrets on every output path (local host, Ansible goldens)', function () {
  this.timeout(120_000);

  for (const level of ['plain', '-v'] as const) {
    it(`prints Ansible's status lines at ${level}: (item=None), censored payloads, no secret`, async () => {
      const r = await runAt(level === 'plain' ? [] : [level]);
      assert.equal(r.code, 0, r.out);
      const lines = r.out.split('\n').filter((l) => STATUS.test(l));
      assert.deepEqual(lines.map(shape), golden.status_lines[level].map(shape));
      assert.equal(golden.secret_occurrences[level], 0);
      assert.doesNotMatch(r.out, SECRET);
      assert.doesNotMatch(r.report, SECRET);
    });
  }

  for (const flags of [['-vvv'], ['--diff'], ['--check', '--diff', '-vvv']]) {
    it(`no secret in the output or the --json report with ${flags.join(' ')}`, async () => {
      const r = await runAt(flags);
      assert.equal(r.code, 0, r.out);
      assert.doesNotMatch(r.out, SECRET);
      assert.doesNotMatch(r.report, SECRET);
      assert.match(r.out, /\(item=None\)/);
    });
  }

  it('no secret in the junit, markdown and codequality reports, nor in GitHub annotations', async () => {
    const { dir, argv } = fixture();
    // the fixture ignores its failures; annotations and the reports' failure sections need a real one
    writeFileSync(join(dir, 'fails.yml'), "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: secret in an unignored failure\n      command: sh -c 'echo s3cr3t-annotated; exit 5'\n      no_log: true\n");
    const files = ['junit', 'markdown', 'codequality'].map((k) => [k, join(dir, `report.${k}`)] as const);
    const r = await runCli([...argv, join(dir, 'fails.yml'), ...files.flatMap(([k, f]) => ['--report', `${k}=${f}`])], { env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.out, /::error .*secret in an unignored failure/, 'the failure was annotated');
    assert.doesNotMatch(r.out + r.err, SECRET);
    for (const [kind, f] of files) {
      const text = readFileSync(f, 'utf8');
      assert.match(text, /secret in an unignored failure/, `${kind} report names the failure`);
      assert.doesNotMatch(text, SECRET, `${kind} report`);
    }
  });

  it('a fact set under no_log is still set (the censored result is only what is shown)', async () => {
    const r = await runAt([]);
    assert.equal(golden.fact_set_under_no_log_printed, true);
    assert.match(r.out, /"msg": "visible-after-no-log"/);
  });

  it('the live view (its frame and scrollback on a terminal) shows no secret either', async () => {
    const { dir, argv } = fixture();
    // a terminal outside CI gets the live view (src/cli/terminal.ts)
    const { code, screen } = await onTerminal([...argv, '--diff'], dir);
    assert.equal(code, 0, screen);
    assert.match(screen, /secret in a failing loop item/);
    assert.doesNotMatch(screen, SECRET);
  });
});
