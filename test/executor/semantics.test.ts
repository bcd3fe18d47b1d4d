/**
 * Executor semantics against Ansible's documented behaviour, on local-connection hosts
 * (real /bin/sh sessions on this machine; no lab needed).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const inv = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/executor/local4.yaml');

interface Report {
  plays: { name: string; hosts: string[]; tasks: { name: string; handler: boolean; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
  stats: Record<string, Record<string, number>>;
}

async function play(yaml: string, flags: string[] = []): Promise<{ code: number; out: string; err: string; report: Report }> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-sem-'));
  const pb = join(dir, 'pb.yaml');
  writeFileSync(pb, yaml);
  const json = join(dir, 'r.json');
  const r = await runCli(['playbook', pb, '-i', inv, '--json', json, ...flags]);
  return { ...r, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}

const taskNames = (r: Report, host: string): string[] => r.plays.flatMap((p) => p.tasks.filter((t) => t.hosts[host] && t.hosts[host].status !== 'skipped').map((t) => t.name));

describe('executor semantics (local hosts)', function () {
  this.timeout(60_000);

  it('handlers run once, at the end of the section, in definition order, only where notified', async () => {
    const r = await play(`
- hosts: all
  gather_facts: false
  tasks:
    - name: t1
      command: "true"
      notify: [second, first]
      when: inventory_hostname in groups.odd
    - name: t2
      command: "true"
      notify: first
  handlers:
    - name: first
      debug: msg=one
    - name: second
      debug: msg=two
`);
    assert.equal(r.code, 0, r.out);
    const handlerTasks = r.report.plays[0]!.tasks.filter((t) => t.handler);
    assert.deepEqual(handlerTasks.map((t) => t.name), ['first', 'second']);
    assert.deepEqual(Object.keys(handlerTasks[1]!.hosts).sort(), ['h1', 'h3']);
    assert.deepEqual(Object.keys(handlerTasks[0]!.hosts).sort(), ['h1', 'h2', 'h3', 'h4']);
  });

  it('check mode: a task whose file an earlier task would create is "would change, cannot verify", not failed (even with the probe\'s rc)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-sem-unknown-'));
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: create the file
      copy: { dest: "${dir}/conf", content: "A=1\\n" }
    - name: edit the file
      lineinfile: { path: "${dir}/conf", line: "B=2" }
`, ['--check']);
    assert.equal(r.code, 0, r.out);
    const edit = r.report.plays[0]!.tasks[1]!.hosts.h1!;
    assert.equal(edit.status, 'changed');
    assert.equal(edit.result.failed, false);
    assert.match(String(edit.result.msg), /^would change, cannot verify: depends on changes earlier tasks would make \(now: Destination .* does not exist !\)$/);
  });

  it('block/rescue/always: rescued counted, failure not, ansible_failed_task set, always runs', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - name: boom
          command: /bin/false
        - name: never
          debug: msg=unreachable
      rescue:
        - name: rescue
          debug: msg="rescued {{ ansible_failed_task.name }}"
      always:
        - name: always
          debug: msg=always
    - name: after
      debug: msg=after
`);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(taskNames(r.report, 'h1'), ['boom', 'rescue', 'always', 'after']);
    assert.equal(r.report.stats.h1!.rescued, 1);
    assert.equal(r.report.stats.h1!.failed, 0);
    assert.match(r.out, /rescued boom/);
  });

  it('a failure without rescue still runs always, then the host stops; exit 2', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - name: boom
          command: /bin/false
      always:
        - name: always
          debug: msg=always
    - name: after
      debug: msg=after
`);
    assert.equal(r.code, 2);
    assert.deepEqual(taskNames(r.report, 'h1'), ['boom', 'always']);
    assert.equal(r.report.stats.h1!.failed, 1);
  });

  it('serial batches: [1, 50%] cuts 4 hosts into 1, 2, 1', async () => {
    const r = await play(`
- hosts: all
  gather_facts: false
  serial: [1, "50%"]
  tasks:
    - debug: msg=hi
`);
    assert.equal(r.code, 0);
    assert.deepEqual(r.report.plays.map((p) => p.hosts), [['h1'], ['h2', 'h3'], ['h4']]);
  });

  it('max_fail_percentage: more than 25% failed in a batch stops the play', async () => {
    const r = await play(`
- hosts: all
  gather_facts: false
  max_fail_percentage: 25
  tasks:
    - name: fail on two hosts
      command: /bin/false
      when: inventory_hostname in groups.odd
    - name: next
      debug: msg=next
`);
    assert.equal(r.code, 2);
    assert.deepEqual(taskNames(r.report, 'h2'), [], 'the play was aborted before "next"');
  });

  it('loops register .results; changed_when and failed_when see the registered result', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: loop
      command: echo {{ item }}
      loop: [a, b, c]
      register: out
      changed_when: out.stdout == 'b'
    - name: check results
      assert:
        that:
          - out.results | length == 3
          - out.results[1].stdout == 'b'
          - out.results[1].item == 'b'
          - out is changed
    - name: failed_when
      command: echo ok
      register: x
      failed_when: "'ok' in x.stdout"
      ignore_errors: true
`);
    assert.equal(r.code, 0, r.out);
    assert.equal(r.report.stats.h1!.ignored, 1);
    // the ignored failure changed too (command), and Ansible counts it (parity: command-failed-when-stdout)
    assert.equal(r.report.stats.h1!.changed, 2);
  });

  it('set_fact in a loop sets the fact (the last item wins), as in Ansible', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - set_fact:
        last: "{{ item }}"
      loop: [a, b]
    - assert:
        that: last == 'b'
`);
    assert.equal(r.code, 0, r.out);
  });

  it('with_fileglob finds files beside the playbook (files/ first); with_lines reads a command on the controller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-glob-'));
    mkdirSync(join(dir, 'files'));
    for (const f of ['b.conf', 'a.conf', 'skip.txt']) writeFileSync(join(dir, 'files', f), f);
    writeFileSync(join(dir, 'pb.yaml'), `
- hosts: h1
  gather_facts: false
  tasks:
    - set_fact:
        found: "{{ found | default([]) + [item | basename] }}"
      with_fileglob: ["*.conf"]
      register: g
    - assert:
        that:
          - g.results | map(attribute='item') | map('basename') | list == ['a.conf', 'b.conf']
    - set_fact:
        line: "{{ item }}"
      with_lines: printf 'one\\ntwo\\n'
      register: l
    - assert:
        that: l.results | map(attribute='item') | list == ['one', 'two']
`);
    const r = await runCli(['playbook', join(dir, 'pb.yaml'), '-i', inv]);
    assert.equal(r.code, 0, r.out);
  });

  it('until/retries/delay retries the task until the condition holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-until-'));
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: count up
      shell: n=$(cat ${dir}/n 2>/dev/null || echo 0); echo $((n+1)) > ${dir}/n; cat ${dir}/n
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
    - assert:
        that: c.attempts == 3
`);
    assert.equal(r.code, 0, r.out);
  });

  it('tags: --tags selects, always always runs, never runs only when asked', async () => {
    const yaml = `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: a, debug: msg=a, tags: [web] }
    - { name: b, debug: msg=b, tags: [db] }
    - { name: c, debug: msg=c, tags: [always] }
    - { name: d, debug: msg=d, tags: [never, debug] }
    - { name: e, debug: msg=e }
`;
    const web = await play(yaml, ['--tags', 'web']);
    assert.deepEqual(taskNames(web.report, 'h1'), ['a', 'c']);
    const all = await play(yaml);
    assert.deepEqual(taskNames(all.report, 'h1'), ['a', 'b', 'c', 'e']);
    const skip = await play(yaml, ['--skip-tags', 'db,always']);
    assert.deepEqual(taskNames(skip.report, 'h1'), ['a', 'e']);
    const dbg = await play(yaml, ['--tags', 'debug']);
    assert.deepEqual(taskNames(dbg.report, 'h1'), ['c', 'd']);
  });

  it('--start-at-task skips everything before the named task', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - { name: one, debug: msg=1 }
    - { name: two, debug: msg=2 }
    - { name: three, debug: msg=3 }
`, ['--start-at-task', 'two']);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(taskNames(r.report, 'h1'), ['two', 'three']);
  });

  it('extra vars win over play vars and set_fact; --limit intersects with the play', async () => {
    const r = await play(`
- hosts: all
  gather_facts: false
  vars:
    x: play
  tasks:
    - set_fact:
        y: fact
    - assert:
        that:
          - x == 'extra'
          - y == 'fact'
          - inventory_hostname == 'h3'
`, ['-e', 'x=extra', '--limit', 'odd:!h1']);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(r.report.plays[0]!.hosts, ['h3']);
  });

  it('check mode: command is skipped but its registered result has rc and empty stdout', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: echo real
      register: out
    - assert:
        that:
          - out.rc == 0
          - out.stdout == ''
          - out.stdout_lines == []
`, ['--check']);
    assert.equal(r.code, 0, r.out);
  });

  it('no_log hides results and diffs from output and the JSON report', async () => {
    const r = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: secret
      debug: msg="the password is hunter2"
      no_log: true
`, ['-v']);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /hunter2/);
    assert.doesNotMatch(JSON.stringify(r.report), /hunter2/);
  });

  it("hostvars of another host render in that host's own variables", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-hv-'));
    writeFileSync(join(dir, 'inv.yaml'), 'all:\n  vars:\n    ansible_connection: local\n    label: "host {{ inventory_hostname }}"\n  hosts:\n    h1: {}\n    h2: {}\n');
    writeFileSync(join(dir, 'pb.yaml'), `
- hosts: h1
  gather_facts: false
  tasks:
    - assert:
        that:
          - label == 'host h1'
          - hostvars['h2'].label == 'host h2'
          - hostvars['h2']['label'] == 'host h2'
`);
    const r = await runCli(['playbook', join(dir, 'pb.yaml'), '-i', join(dir, 'inv.yaml')]);
    assert.equal(r.code, 0, r.out);
  });

  it('run_once runs on the first host and shares the registered result', async () => {
    const r = await play(`
- hosts: all
  gather_facts: false
  tasks:
    - name: once
      command: echo {{ inventory_hostname }}
      run_once: true
      register: o
    - assert:
        that: o.stdout == 'h1'
`);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(Object.keys(r.report.plays[0]!.tasks[0]!.hosts), ['h1']);
  });

  it('an unknown handler name is an error at the notify keyword, before any host runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-sem-'));
    const pb = join(dir, 'pb.yaml');
    writeFileSync(pb, `
- hosts: h1
  gather_facts: false
  tasks:
    - name: t
      command: "true"
      notify: restart nothing
  handlers:
    - name: restart something
      debug: msg=x
`);
    const r = await runCli(['playbook', pb, '-i', inv]);
    assert.equal(r.code, 4);
    assert.match(r.err, /pb\.yaml:7:7: task 't': the requested handler 'restart nothing' was not found.*\(did you mean 'restart something'\?\)/);
    assert.doesNotMatch(r.out, /TASK \[t\]/);
  });
});

describe('executor: roles, includes, vars files (local hosts)', function () {
  this.timeout(60_000);
  const site = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/executor/roles-pb/site.yml');

  it('roles with dependencies, defaults, vars, templates and handlers; include_tasks with a loop; vars_files; host_vars beside the playbook', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kelpie-roles-'));
    const r = await runCli(['playbook', site, '-i', inv, '-e', `out_dir=${out}`]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(readFileSync(join(out, 'h1-site.conf'), 'utf8'), 'port=8080\nuser=from-group-vars\n');
    assert.match(r.out, /TASK \[web : render the site config\]/);
    assert.match(r.out, /TASK \[base : base marker\]/);
    assert.match(r.out, /RUNNING HANDLER \[web : web changed\]/);
    assert.match(r.out, /TASK \[included for a\]/);
    assert.match(r.out, /TASK \[included for b\]/);
    // the include task's own rows print nothing; each file loaded is Ansible's `included:` line
    const fixtures = dirname(site);
    assert.ok(r.out.includes(`TASK [include with a loop] ***`), r.out);
    assert.ok(r.out.includes(`included: ${join(fixtures, 'tasks/item.yml')} for h1, h2 => (item=a)\nincluded: ${join(fixtures, 'tasks/item.yml')} for h1, h2 => (item=b)\n`), r.out);
    assert.doesNotMatch(r.out, /TASK \[include with a loop\] \**\nok:/);
  });

  it('--list-tasks and --list-hosts show what would run without running it', async () => {
    const r = await runCli(['playbook', site, '-i', inv, '--list-tasks', '--list-hosts']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /hosts \(2\):\n\s+h1\n\s+h2/);
    assert.match(r.out, /web : render the site config/);
    assert.match(r.out, /base : base marker/);
  });
});
