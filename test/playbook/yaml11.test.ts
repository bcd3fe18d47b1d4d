/**
 * One YAML loader with Ansible's 1.1 semantics everywhere: the same values read from
 * vars_files, a YAML inventory, group_vars, include_vars and -e @file give what
 * ansible-playbook printed for them (test/fixtures/ansible-golden/yaml11/record.sh).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorOffset, parseYaml11Document, yamlErrorText } from '../../src/yaml11.js';
import { runCli } from '../helpers/runCli.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/ansible-golden/yaml11');

describe('YAML 1.1 as Ansible reads it, from every source', () => {
  it('yes/no/on/off, y/n, 0644, 1:20, 1_000, 1.5e3 vs 1.5e+3, dates: identical to ansible-playbook', async () => {
    const r = await runCli(['playbook', '-i', join(DIR, 'inventory.yaml'), join(DIR, 'playbook.yaml'), '-e', `@${join(DIR, 'extra.yaml')}`], { cwd: DIR });
    assert.equal(r.code, 0, r.err + r.out);
    const shown = r.out
      .split('\n')
      .filter((l) => /^TASK|"msg"/.test(l))
      .map((l) => l.replace(/ \**$/, ''));
    assert.deepEqual(shown, readFileSync(join(DIR, 'golden.txt'), 'utf8').trimEnd().split('\n'));
  });
});

describe('YAML nested too deeply', () => {
  it('is refused at the same place however warm the parser is (a warm parser no longer runs out of stack first)', () => {
    const text = `x: ${'['.repeat(450)}1${']'.repeat(450)}\n`;
    const seen = new Set<string>();
    // 100 parses: the first run cold, the later ones JIT-compiled, whose smaller frames used to parse it
    for (let i = 0; i < 100; i++) {
      const e = parseYaml11Document(text).errors[0];
      seen.add(e ? `${yamlErrorText(e)} @${errorOffset(text, e)}` : 'parsed');
    }
    assert.deepEqual([...seen], ['YAML syntax error: collections are nested too deeply here (hundreds of levels); kelpie reads at most a few hundred @3']);
  });

  it('up to the limit still parses', () => {
    const text = `x: ${'['.repeat(300)}1${']'.repeat(300)}\n`;
    assert.deepEqual(parseYaml11Document(text).errors, []);
  });
});
