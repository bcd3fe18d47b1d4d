import assert from 'node:assert/strict';
import { parseYaml } from '../../src/playbook/index.js';
import { UnsafeText } from '../../src/template/index.js';

function value(text: string): unknown {
  const { source, errors } = parseYaml('t.yaml', text);
  assert.deepEqual(errors, []);
  return source.js(source.root);
}

describe('YAML the way Ansible (PyYAML, YAML 1.1) reads it', () => {
  it('reads yes/no/on/off in any common case as booleans', () => {
    assert.deepEqual(value('[yes, Yes, YES, no, No, on, ON, off, Off, true, False]'), [true, true, true, false, false, true, true, false, false, true, false]);
  });

  it('keeps y/n as strings, unlike the yaml library default for 1.1', () => {
    assert.deepEqual(value('{y: n, k: Y}'), { y: 'n', k: 'Y' });
  });

  it('reads 0644 as octal and 1:20 as sexagesimal, like PyYAML', () => {
    assert.deepEqual(value('[0644, 1:20, "0644"]'), [0o644, 80, '0644']);
  });

  it('keeps dates as their text', () => {
    assert.deepEqual(value('d: 2024-01-02'), { d: '2024-01-02' });
  });

  it('accepts !unsafe strings (marked, never templated); a !vault value that does not open is an error at its position', () => {
    assert.deepEqual(value("a: !unsafe '{{ x }}'"), { a: new UnsafeText('{{ x }}') });
    const { errors } = parseYaml('t.yaml', 'a: 1\nb: !vault |\n  $ANSIBLE_VAULT;1.1\n');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.loc?.line, 2);
    assert.match(errors[0]!.message, /vault/);
  });

  it('resolves merge keys and anchors', () => {
    assert.deepEqual(value('base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n'), { base: { x: 1 }, other: { x: 1, y: 2 } });
  });
});
