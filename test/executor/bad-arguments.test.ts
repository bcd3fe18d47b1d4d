/**
 * A task whose templated arguments are wrong fails with one message in Ansible's words,
 * whether its module takes only its own arguments or any (set_fact, add_host): the first
 * problem, missing required arguments first and named together, without kelpie's hints.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/index.js';

async function failures(tasks: string, prepare?: (dir: string) => void): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-badargs-'));
  prepare?.(dir);
  writeFileSync(join(dir, 'pb.yaml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`);
  const msgs: unknown[] = [];
  for await (const e of run({ playbooks: [join(dir, 'pb.yaml')] })) if (e.type === 'host_result') msgs.push(e.result.status === 'failed' ? e.result.result.msg : e.result.status);
  return msgs;
}

describe('bad task arguments', () => {
  it('a module of its own arguments: the choice outside the list, then every missing required argument at once', async () => {
    const got = await failures(`
    - file: { path: /tmp/x, state: "{{ 'fiel' }}" }
      ignore_errors: true
    - fetch: { flat: "{{ true }}" }
      ignore_errors: true
`);
    assert.deepEqual(got, ['value of state must be one of: absent, directory, file, hard, link, touch, got: fiel', 'missing required arguments: dest, src']);
  });

  it('a module of any arguments reports the first problem alone, in the same words', async () => {
    const got = await failures(`
    - add_host: { groups: "{{ {'a': 1} }}", extra: 1 }
      ignore_errors: true
    - add_host: { name: h9, groups: "{{ {'a': 1} }}" }
      ignore_errors: true
    - set_fact: { cacheable: "{{ 'maybe' }}", a: 1 }
      ignore_errors: true
    - set_fact: { cacheable: "{{ 'no' }}", a: 1 }
`);
    assert.deepEqual(got, ['name, host or hostname needs to be provided', 'Groups must be specified as a list.', `argument 'cacheable' must be a boolean (yes/no/true/false), got "maybe"`, 'ok']);
  });

  it("include_role's public: true and allow_duplicates: false fail that task when they run, naming the argument and where it is written", async () => {
    const role = (dir: string): void => {
      mkdirSync(join(dir, 'roles', 'r1', 'tasks'), { recursive: true });
      writeFileSync(join(dir, 'roles', 'r1', 'tasks', 'main.yaml'), '- debug: { msg: in r1 }\n');
    };
    const got = await failures(`
    - include_role: { name: r1, public: "{{ 1 == 1 }}" }
      ignore_errors: true
    - include_role: { name: r1, allow_duplicates: false }
      ignore_errors: true
    - include_role: { name: r1, public: false, allow_duplicates: true }
`, role);
    assert.equal(got.length, 4, JSON.stringify(got));
    assert.match(String(got[0]), /pb\.yaml:5:33: argument 'public' of Ansible's include_role module is not implemented by kelpie \(public: true\)/);
    assert.match(String(got[1]), /pb\.yaml:7:33: argument 'allow_duplicates' of Ansible's include_role module is not implemented by kelpie \(allow_duplicates: false\)/);
    // the defaults, written out, run the role
    assert.equal(got[2], 'ok');
    assert.equal(got[3], 'ok');
  });
});
