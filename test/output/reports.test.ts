import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopRunOutputs } from '../../src/cli/outputs.js';
import type { RunReport } from '../../src/output/record.js';
import { runCli } from '../helpers/runCli.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const reportsDir = join(fixtures, 'reports');
const xsd = join(reportsDir, 'junit.xsd');

function validJunit(file: string): void {
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `xmllint: ${r.stderr}`);
}

interface Case {
  name: string;
  classname: string;
  outcome: string;
}

/** testcases as (name, classname relative to the fixtures, pass/failure:msg/skipped:text) */
function cases(xml: string): Case[] {
  return [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*>\s*([\s\S]*?)<\/testcase>/g)].map((m) => {
    const body = m[3]!;
    const failure = /<failure message="([^"]*)"/.exec(body);
    const skipped = /<skipped>([^<]*)<\/skipped>/.exec(body);
    return {
      name: m[2]!,
      classname: m[1]!.replace(reportsDir + '/', '').replace('FIXTURES/', ''),
      outcome: failure ? `failure:${failure[1]}` : skipped ? `skipped:${skipped[1]}` : 'pass',
    };
  });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kelpie-reports-'));

describe('reports: --report KIND=FILE', () => {
  it("junit: Ansible's junit callback's testcases (recorded golden), valid against the JUnit XSD", async () => {
    const dir = tmp();
    const r = await runCli(['playbook', join(reportsDir, 'junit-play.yaml'), '-i', 'localhost,', '--report', `junit=${dir}/junit.xml`]);
    assert.equal(r.code, 2, r.err);
    validJunit(join(dir, 'junit.xml'));
    const golden = readFileSync(join(reportsDir, 'ansible-junit.golden.xml'), 'utf8');
    const ours = readFileSync(join(dir, 'junit.xml'), 'utf8');
    assert.deepEqual(cases(ours), cases(golden));
    assert.equal(cases(golden).length, 5);
    // one testsuite per play that started: every host failed in the first, so, as in
    // ansible-playbook, the playbook ends there (parity case all-hosts-failed-ends-playbook)
    assert.deepEqual([...ours.matchAll(/<testsuite [^>]*name="([^"]*)"/g)].map((m) => m[1]), ['first play']);
  });

  it('the XSD check can fail: a testcase without a name is rejected', () => {
    const bad = join(tmp(), 'bad.xml');
    writeFileSync(bad, '<?xml version="1.0"?>\n<testsuites><testsuite name="x" tests="1"><testcase classname="c"/></testsuite></testsuites>\n');
    assert.notEqual(spawnSync('xmllint', ['--noout', '--schema', xsd, bad]).status, 0);
  });

  it('a playbook error still leaves whole reports that record it (json exit 4, junit valid, events end)', async () => {
    const dir = tmp();
    const r = await runCli(['playbook', join(fixtures, 'cli/yaml-error.yaml'), '-i', 'localhost,', '--json', `${dir}/run.json`, '--report', `junit=${dir}/j.xml`, '--report', `events=${dir}/e.ndjson`, '--report', `markdown=${dir}/s.md`]);
    assert.equal(r.code, 4);
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport;
    assert.equal(json.exit_code, 4);
    assert.match(json.error!, /yaml-error\.yaml:5:\d+: YAML syntax error/);
    assert.deepEqual(json.plays, []);
    validJunit(join(dir, 'j.xml'));
    const events = readFileSync(join(dir, 'e.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; exitCode?: number });
    assert.deepEqual(events.map((e) => [e.type, e.exitCode]), [['playbook_end', 4]]);
    assert.match(readFileSync(join(dir, 's.md'), 'utf8'), /\*\*Stopped:\*\* .*YAML syntax error/);
  });

  it('events: NDJSON written as it happens; a stopped run (the signal path) leaves every file whole', async () => {
    // The task waits until the events file already holds its task_start line, then the test
    // stops the outputs as a signal handler would, then lets the task end.
    const dir = tmp();
    const events = join(dir, 'events.ndjson');
    const release = join(dir, 'release');
    writeFileSync(
      join(dir, 'pb.yaml'),
      `- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg=first
    - name: waits
      shell: "i=0; while [ ! -e ${release} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done"
`,
    );
    const run = runCli(['playbook', join(dir, 'pb.yaml'), '-i', 'localhost,', '--report', `events=${events}`, '--json', `${dir}/run.json`, '--report', `junit=${dir}/j.xml`]);
    for (let i = 0; i < 200 && !(existsSync(events) && readFileSync(events, 'utf8').includes('"name":"waits"')); i++) await new Promise((r) => setTimeout(r, 25));
    const lines = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; ts: string });
    assert.deepEqual(lines.map((l) => l.type), ['run_start', 'playbook_start', 'play_start', 'task_start', 'host_result', 'task_end', 'task_start']);
    assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.ts))));
    stopRunOutputs(99, 'interrupted by SIGINT');
    writeFileSync(release, '');
    await run;
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunReport;
    assert.equal(json.exit_code, 99);
    assert.equal(json.error, 'interrupted by SIGINT');
    assert.deepEqual(Object.keys(json.plays[0]!.tasks[0]!.hosts), ['localhost']);
    assert.equal(json.stats.localhost?.ok, 1);
    validJunit(join(dir, 'j.xml'));
    const last = JSON.parse(readFileSync(events, 'utf8').trim().split('\n').pop()!) as { type: string; exitCode: number };
    assert.deepEqual([last.type, last.exitCode], ['playbook_end', 99]);
  });

  it('--report rejects an unknown kind and a missing file, as a bad option (exit 5)', async () => {
    const ok = join(fixtures, 'cli/ok.yaml');
    const unknown = await runCli(['playbook', ok, '-i', 'localhost,', '--report', 'junt=x.xml']);
    assert.equal(unknown.code, 5);
    assert.match(unknown.err, /--report: unknown kind 'junt' \(one of json, junit, markdown, events, codequality/);
    const noFile = await runCli(['playbook', ok, '-i', 'localhost,', '--report', 'junit'], { env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(noFile.code, 5);
    assert.match(noFile.err, /--report junit needs a file/);
  });
});
