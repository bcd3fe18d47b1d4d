/**
 * Keywords whose value is a template load and are resolved when they are needed, as in
 * Ansible (recorded: test/fixtures/ansible-golden/templated-keywords/record.sh):
 * `strategy: "{{ s }}"`, `role: "{{ rname }}"`, `loop_var: "{{ lv }}"`, `set_fact: "{{ item }}=moo"`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/ansible-golden/templated-keywords');
const PB = join(DIR, 'playbook.yaml');

/** Output without banner padding and recap column alignment (the two tools pad differently). */
const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.replace(/ \**$/, '').replace(/ *$/, '').replace(/ +/g, ' '))
    .filter((l) => l !== '');

describe('template-valued keywords: loaded, then resolved at run time', () => {
  it('strategy, a role name, loop_var and a set_fact key from templates: output identical to ansible-playbook', async () => {
    const r = await runCli(['playbook', PB, '-i', 'localhost,'], { cwd: DIR });
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(lines(r.out), lines(readFileSync(join(DIR, 'golden.txt'), 'utf8')));
  });

  it('a templated strategy that renders to an unknown one fails the play at its position', async () => {
    const r = await runCli(['playbook', PB, '-i', 'localhost,', '-e', 's=bogus'], { cwd: DIR });
    assert.equal(r.code, 4);
    assert.match(r.err, new RegExp(`${PB.replace(/[.]/g, '\\.')}:1:3: unknown strategy 'bogus' \\(from '\\{\\{ s \\}\\}'\\)`));
  });

  it('a role name is rendered with -e values too, and an undefined one is a located load error', async () => {
    const other = await runCli(['playbook', PB, '-i', 'localhost,', '--syntax-check', '-e', 'rname=nosuchrole'], { cwd: DIR });
    assert.equal(other.code, 4);
    assert.match(other.err, /nosuchrole/);
    const r = await runCli(['playbook', PB, '-i', 'localhost,', '--syntax-check', '-e', 'rname={{ nowhere }}'], { cwd: DIR });
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /playbook\.yaml:9:13: role name '\{\{ rname \}\}': .*'nowhere' is undefined/);
  });
});
