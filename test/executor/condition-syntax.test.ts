/**
 * changed_when/failed_when that Jinja cannot parse fail the task and are recorded beside the
 * module's result, as Ansible's executor does (golden: test/parity/golden/language/conditional-syntax.json);
 * on local-connection hosts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../../src/output/record.js';
import { runCli } from '../helpers/runCli.js';

const inv = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/executor/local4.yaml');
const SYNTAX = "template error while templating string: expected token 'end of statement block', got 'if'";

describe('changed_when / failed_when with a top-level inline if (local hosts)', () => {
  it('fails the task, keeps the module result and names the condition in <which>_when_result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-condsyntax-'));
    writeFileSync(
      join(dir, 'pb.yaml'),
      `- hosts: h1
  gather_facts: false
  tasks:
    - name: changed
      command: "true"
      changed_when: "true if true else false"
      failed_when: false
      ignore_errors: true
    - name: failed
      command: "true"
      failed_when: "true if true"
      ignore_errors: true
    - name: fine
      command: "true"
      changed_when: "(false if true else true)"
`,
    );
    const json = join(dir, 'r.json');
    const r = await runCli(['playbook', join(dir, 'pb.yaml'), '-i', inv, '--json', json]);
    assert.equal(r.code, 0, r.out);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    const result = (name: string): Record<string, unknown> => report.plays[0]!.tasks.find((t) => t.name === name)!.hosts['h1']!.result;
    const changed = result('changed');
    assert.equal(changed['failed'], true);
    assert.equal(changed['rc'], 0, 'the module result is kept');
    assert.equal(changed['changed'], true, "the module's own changed stays");
    assert.ok(String(changed['changed_when_result']).startsWith(`The conditional check 'true if true else false' failed. The error was: ${SYNTAX}`));
    assert.equal(changed['failed_when_result'], undefined, 'failed_when is not evaluated after it');
    const failed = result('failed');
    assert.equal(failed['failed'], true);
    assert.ok(String(failed['failed_when_result']).startsWith(`The conditional check 'true if true' failed. The error was: ${SYNTAX}`));
    assert.equal(result('fine')['changed'], false);
    assert.equal(report.stats['h1']!['ignored'], 2);
  });
});
