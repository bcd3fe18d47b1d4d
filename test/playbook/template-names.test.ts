/**
 * Issue 11: a filter or test that neither kelpie nor Ansible has is a typo, refused at load
 * time with its position and a did-you-mean, before any host is touched. A name Ansible
 * has and kelpie lacks loads, and fails its task when it runs (issue 8's rule).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/playbook/index.js';
import { PlaybookErrors } from '../../src/playbook/problems.js';
import { unknownNames } from '../../src/template/names.js';
import { runCli } from '../helpers/runCli.js';

function playbook(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-names-'));
  const file = join(dir, 'site.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

async function loadErrors(file: string): Promise<string[]> {
  try {
    await loadPlaybook(file);
  } catch (e) {
    assert.ok(e instanceof PlaybookErrors, String(e));
    return e.errors.map((x) => `${x.loc?.line}:${x.loc?.col} ${x.message} (${x.hint ?? ''})`);
  }
  return [];
}

describe('unknown filters and tests: refused at load time with a did-you-mean', () => {
  it('in every templated field: play and task vars, args, when, loop, a block, assert that, debug var', async () => {
    const { file } = playbook(`- hosts: localhost
  gather_facts: false
  vars:
    a: "{{ [1] | to_jsno }}"
  tasks:
    - name: one
      debug:
        msg: "{{ x | lenght }}"
      vars:
        b: "{{ x | defualt(1) }}"
      when: r is sucess
      loop: "{{ q | map('flaten') | list }}"
    - block:
        - assert:
            that:
              - x is ansible.builtin.sucess
              - x is not chaged
        - debug:
            var: x | mandatry
      when:
        - y | ansible.builtin.to_yml
    - command: >-
        echo {{ x
        | regex_replce('a', 'b') }}
`);
    assert.deepEqual(await loadErrors(file), [
      "4:18 unknown filter 'to_jsno' (did you mean 'to_json'?)",
      "8:22 task 'one': unknown filter 'lenght' (did you mean 'length'?)",
      "10:20 task 'one': unknown filter 'defualt' (did you mean 'default'?)",
      "11:18 task 'one': unknown test 'sucess' (did you mean 'success'?)",
      "12:26 task 'one': unknown filter 'flaten' (did you mean 'flatten'?)",
      "16:22 task 'assert': unknown test 'ansible.builtin.sucess' (did you mean 'ansible.builtin.success'?)",
      "17:26 task 'assert': unknown test 'chaged' (did you mean 'changed'?)",
      "19:22 task 'debug': unknown filter 'mandatry' (did you mean 'mandatory'?)",
      "21:15 unknown filter 'ansible.builtin.to_yml' (did you mean 'ansible.builtin.to_yaml'?)",
      "24:11 task 'command': unknown filter 'regex_replce' (did you mean 'regex_replace'?)",
    ]);
  });

  it('is refused before any host is touched: the task before the typo does not run', async () => {
    const { dir, file } = playbook(`- hosts: localhost
  gather_facts: false
  tasks:
    - command: touch {{ playbook_dir }}/touched
    - debug:
        msg: "{{ 1 | to_jsno }}"
`);
    const r = await runCli(['playbook', file, '-i', 'localhost,'], { cwd: dir });
    assert.equal(r.code, 4, r.err + r.out);
    assert.match(r.err, new RegExp(`${file}:6:22: task 'debug': unknown filter 'to_jsno' \\(did you mean 'to_json'\\?\\)`));
    assert.doesNotMatch(r.out, /TASK/);
    assert.equal(existsSync(join(dir, 'touched')), false);
  });

  it('--syntax-check refuses it too', async () => {
    const { dir, file } = playbook(`- hosts: localhost
  tasks:
    - debug: msg="{{ 'a' if x is defnied else 'b' }}"
`);
    const r = await runCli(['playbook', '--syntax-check', file, '-i', 'localhost,'], { cwd: dir });
    assert.equal(r.code, 4, r.err + r.out);
    assert.match(r.err, /site\.yaml:3:34: task 'debug': unknown test 'defnied' \(did you mean 'defined'\?\)/);
  });

  it("in a template: task's file, found where the task looks (a role's templates/, the playbook's), at the file's line and column; in a role's defaults", async () => {
    const { dir, file } = playbook(`- hosts: localhost
  gather_facts: false
  roles: [web]
  tasks:
    - ansible.builtin.template:
        src: site.conf.j2
        dest: /tmp/site.conf
    - template: src=missing.j2 dest=/tmp/missing
`);
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates/site.conf.j2'), 'listen 80\n{% if port is defined %}\nport {{ port | int }}\nname {{ names | jion(",") }}\n{% endif %}\n');
    mkdirSync(join(dir, 'roles/web/tasks'), { recursive: true });
    mkdirSync(join(dir, 'roles/web/templates'));
    writeFileSync(join(dir, 'roles/web/tasks/main.yml'), '- template: src=index.j2 dest=/tmp/index\n');
    writeFileSync(join(dir, 'roles/web/templates/index.j2'), '{{ x is sucess }}\n');
    mkdirSync(join(dir, 'roles/web/defaults'));
    writeFileSync(join(dir, 'roles/web/defaults/main.yml'), 'port: 80\nnames: "{{ hosts | unqiue }}"\n');
    const errors = await loadErrors(file);
    assert.deepEqual(errors.map((e) => e.replace(/ \(.*/, '')), [
      "2:20 unknown filter 'unqiue'",
      "1:9 task 'template': unknown test 'sucess' in template 'index.j2'",
      "4:17 task 'ansible.builtin.template': unknown filter 'jion' in template 'site.conf.j2'",
    ]);
    assert.match(errors[2]!, /did you mean 'join'\?/);
  });

  it("loads a name Ansible has and kelpie lacks, and fails that task when it runs, naming the filter", async () => {
    const { dir, file } = playbook(`- hosts: localhost
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ [{'n': 'a'}] | rekey_on_member('n') }}"
      ignore_errors: true
    - debug:
        msg: after
`);
    assert.deepEqual(await loadErrors(file), []);
    const r = await runCli(['playbook', file, '-i', 'localhost,'], { cwd: dir });
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /Could not load \\"rekey_on_member\\"/);
    assert.match(r.out, /"msg": "after"/);
  });

  it('loads collection filters and names that only look like filters (strings, a {% raw %} block, !unsafe text)', async () => {
    const { file } = playbook(`- hosts: localhost
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ x | community.general.json_query('a') }} {{ '| to_jsno' }} {% raw %}{{ x | to_jsno }}{% endraw %}"
    - debug:
        msg: "x | to_jsno is not a template here"
    - debug:
        msg: !unsafe "{{ x | to_jsno }} is host data, never rendered"
`);
    assert.deepEqual(await loadErrors(file), []);
  });
});

describe('unknownNames: the filters and tests of one template that no one has', () => {
  it('finds names in filter blocks, map/select/selectattr arguments and tests with a bare argument', () => {
    assert.deepEqual(unknownNames('{% filter uper %}x{% endfilter %}'), [{ kind: 'filter', name: 'uper' }]);
    assert.deepEqual(unknownNames("{{ x | map('to_jsno') | select('sucess') | selectattr('a', 'definded') | list }}"), [
      { kind: 'filter', name: 'to_jsno' },
      { kind: 'test', name: 'sucess' },
      { kind: 'test', name: 'definded' },
    ]);
    assert.deepEqual(unknownNames('x is divisbleby 3', true), [{ kind: 'test', name: 'divisbleby' }]);
  });

  it("knows Jinja2's and Ansible's names, and leaves text that does not parse to the render", () => {
    assert.deepEqual(unknownNames('{{ x | wordwrap | xmlattr | to_nice_yaml }} {{ x is vault_encrypted }}'), []);
    assert.deepEqual(unknownNames('{{ x | }}'), []);
  });
});
