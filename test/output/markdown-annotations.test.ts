import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMarkdown } from '../../src/output/reports/markdown.js';
import { emptyReport, type RunReport } from '../../src/output/record.js';
import { runCli } from '../helpers/runCli.js';

const SECRET = 'hunter2-s3cr3t';

function checkPlaybook(dir: string): string {
  writeFileSync(join(dir, 'motd'), 'old line\n');
  writeFileSync(
    join(dir, 'pb.yaml'),
    `- hosts: localhost
  gather_facts: false
  tasks:
    - name: motd says hello
      copy: { dest: "${dir}/motd", content: "hello <team>\\n" }
    - name: secret file
      copy: { dest: "${dir}/secret", content: "${SECRET}\\n" }
      no_log: true
    - name: already fine
      debug: { msg: fine }
`,
  );
  return join(dir, 'pb.yaml');
}

describe('markdown report: a check run a reviewer reads', () => {
  it('per host what would change, diffs folded, no_log content redacted, appended to $GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-md-'));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['playbook', checkPlaybook(dir), '-i', 'localhost,', '--check', '--diff', '--report', `markdown=${dir}/pr.md`], { env: { GITHUB_STEP_SUMMARY: summary }, cwd: dir });
    assert.equal(r.code, 0, r.err);
    const md = readFileSync(join(dir, 'pr.md'), 'utf8');
    assert.match(md, /^## kelpie check run: 1 host, 1 would change, 0 failed \(exit 0\)/);
    assert.match(md, /### localhost\n\nWould change \(2\):\n\n- \*\*motd says hello\*\* \(`pb\.yaml:4`\)\n  <details><summary>diff: .*motd<\/summary>/);
    assert.match(md, /```diff\n {2}--- .*motd\n {2}\+\+\+ .*motd\n {2}@@ -1,1 \+1,1 @@\n {2}-old line\n {2}\+hello <team>\n {2}```/);
    assert.match(md, /- \*\*secret file\*\* \(`pb\.yaml:6`\)\n/);
    assert.doesNotMatch(md, new RegExp(SECRET));
    assert.doesNotMatch(md, /already fine/);
    assert.equal(readFileSync(summary, 'utf8'), `# earlier step\n${md}\n`);
  });

  it('calls out what check mode cannot verify, and failures with their place', () => {
    const report: RunReport = {
      ...emptyReport(),
      check_mode: true,
      exit_code: 2,
      plays: [
        {
          name: 'mail',
          hosts: ['m1'],
          tasks: [
            { name: 'milters', action: 'postconf', file: '/repo/site.yaml', line: 9, handler: false, hosts: { m1: { status: 'changed', check_unknown: true, duration_ms: 1, result: { check_unknown: 'postconf is not installed yet', msg: 'would change, cannot verify: postconf is not installed yet' } } } },
            { name: 'guard', action: 'assert', file: '/repo/site.yaml', line: 20, handler: false, hosts: { m1: { status: 'failed', duration_ms: 1, result: { msg: 'score 5 != 7' } } } },
          ],
        },
      ],
      stats: { m1: { ok: 1, changed: 1, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 } },
    };
    const md = renderMarkdown(report, '/repo');
    assert.match(md, /Failed:\n\n- \*\*guard\*\* \(`site\.yaml:20`\): score 5 != 7/);
    assert.match(md, /:warning: Check mode cannot verify \(1\):\n\n- \*\*milters\*\* \(`site\.yaml:9`\): would change, cannot verify: postconf is not installed yet/);
  });
});

describe('CI annotations for failures, with the task file:line', () => {
  it('GitHub Actions: ::error lines as failures happen; GitLab: a Code Quality report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-ann-'));
    writeFileSync(join(dir, 'pb.yaml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: ok }\n    - name: check, the score\n      fail: { msg: "50% off: a, b\\nsecond line" }\n');
    const r = await runCli(['playbook', 'pb.yaml', '-i', 'localhost,', '--report', 'codequality=cq.json'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(r.code, 2);
    assert.match(r.out, /^::error file=pb\.yaml,line=5,title=kelpie%3A check%2C the score::localhost: 50%25 off: a, b%0Asecond line$/m);
    const cq = JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8')) as { location: { path: string; lines: { begin: number } }; severity: string; description: string }[];
    assert.equal(cq.length, 1);
    assert.deepEqual(cq[0]!.location, { path: 'pb.yaml', lines: { begin: 5 } });
    assert.equal(cq[0]!.severity, 'major');
    assert.match(cq[0]!.description, /^localhost: check, the score: 50% off/);
    const local = await runCli(['playbook', 'pb.yaml', '-i', 'localhost,'], { cwd: dir, env: { GITHUB_ACTIONS: undefined } });
    assert.doesNotMatch(local.out, /::error/);
  });
});
