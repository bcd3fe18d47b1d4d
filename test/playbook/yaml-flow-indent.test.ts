/**
 * A flow collection continued on a line indented less than YAML 1.2 requires: libyaml (so
 * Ansible) ignores indentation inside flow context, kelpie reads it the same way (issue #8).
 * Every expected value below is what `python3 -c 'import yaml; print(yaml.safe_load(…))'`
 * printed for the same text (PyYAML 6 with libyaml, as Debian's ansible-core uses).
 */
import assert from 'node:assert/strict';
import type { Node } from 'yaml';
import { parseYamlDocument } from '../../src/inventory/yamlSource.js';
import { parseYaml } from '../../src/playbook/source.js';
import { Templar } from '../../src/template/index.js';
import { reindentFlowContinuations } from '../../src/yaml-flow-indent.js';
import { loadAllYaml11, loadYaml11, parseYaml11Document } from '../../src/yaml11.js';

const PLAY = '- hosts: localhost\n  gather_facts: false\n  vars:\n    a: [1,\n  2]\n  tasks:\n    - debug: var=a\n';

function errorAt(text: string): { message: string; loc: unknown } {
  try {
    loadYaml11(text, 'f.yaml');
  } catch (e) {
    return { message: (e as Error).message, loc: (e as { loc?: unknown }).loc };
  }
  assert.fail('expected a YAML error');
}

describe('YAML flow collections continued on a less indented line (as libyaml reads them)', () => {
  it('the playbook of issue #8 loads, a is [1, 2], and its tasks keep their own line:col', () => {
    // python: [{'hosts': 'localhost', 'gather_facts': False, 'vars': {'a': [1, 2]}, 'tasks': [{'debug': 'var=a'}]}]
    assert.deepEqual(loadYaml11(PLAY, 'p.yaml'), [{ hosts: 'localhost', gather_facts: false, vars: { a: [1, 2] }, tasks: [{ debug: 'var=a' }] }]);
    const { source, errors } = parseYaml('p.yaml', PLAY);
    assert.deepEqual(errors, []);
    // positions point into the file as written, not into the re-indented text
    const node = (path: (string | number)[]): Node => source.doc.getIn(path, true) as Node;
    assert.deepEqual(source.loc(node([0, 'tasks', 0])), { file: 'p.yaml', line: 7, col: 7 });
    assert.deepEqual(source.loc(node([0, 'vars', 'a', 1])), { file: 'p.yaml', line: 5, col: 3 });
  });

  it('a flow map continued at column 0, in a mapping and in a list', () => {
    // python: {'a': {'x': 1, 'y': 2}}
    assert.deepEqual(loadYaml11('a: {x: 1,\ny: 2}\n', 'f'), { a: { x: 1, y: 2 } });
    // python: [{'x': 1, 'y': 2}] and [{'key': [1, 2]}]
    assert.deepEqual(loadYaml11('- {x: 1,\ny: 2}\n', 'f'), [{ x: 1, y: 2 }]);
    assert.deepEqual(loadYaml11('- key: [1,\n2]\n', 'f'), [{ key: [1, 2] }]);
  });

  it('nested flow collections', () => {
    const text = 'x:\n  a: [1, [2,\n 3], {b: [4,\n5], c: {d: 6,\ne: 7}}]\n';
    // python: {'x': {'a': [1, [2, 3], {'b': [4, 5], 'c': {'d': 6, 'e': 7}}]}}
    assert.deepEqual(loadYaml11(text, 'f'), { x: { a: [1, [2, 3], { b: [4, 5], c: { d: 6, e: 7 } }] } });
  });

  it('multi-line quoted and plain scalars inside the flow keep exactly the value PyYAML gives', () => {
    const text = 'a: [1,\n"two\n  lines\\\n   x  \n\n z", \'it\'\'s\n also\', "q\\"\n ]", plain\nscalar]\n';
    // python: {'a': [1, 'two linesx\nz', "it's also", 'q" ]', 'plain scalar']}
    assert.deepEqual(loadYaml11(text, 'f'), { a: [1, 'two linesx\nz', "it's also", 'q" ]', 'plain scalar'] });
  });

  it('brackets in block scalars, plain words, comments and quotes open no flow collection', () => {
    const text = 'a: [1,\n2]\nb: |\n  [x\nc: it\'s [\nd: &an [3,\n4]\n# [ not this\ne: "]"\n';
    // python: {'a': [1, 2], 'b': '[x\n', 'c': "it's [", 'd': [3, 4], 'e': ']'}
    assert.deepEqual(loadYaml11(text, 'f'), { a: [1, 2], b: '[x\n', c: "it's [", d: [3, 4], e: ']' });
  });

  it('a genuine error after such a line, or on it, is reported at its line:col in the file as written', () => {
    // PyYAML: "mapping values are not allowed here … line 4" (the same line)
    const after = errorAt('x:\n  a: [1,\n 2]\n  b: c: d\n');
    assert.match(after.message, /^YAML syntax error: /);
    assert.deepEqual(after.loc, errorAt('x:\n  a: [1,\n     2]\n  b: c: d\n').loc);
    assert.deepEqual(after.loc, { file: 'f.yaml', line: 4, col: 6 });
    // on the re-indented line: the column of `c` in ` 2, {b: c: d}]`, as when it is indented enough
    assert.deepEqual(errorAt('x:\n  a: [1,\n 2, {b: c: d}]\n').loc, { file: 'f.yaml', line: 3, col: 9 });
    assert.deepEqual(errorAt('x:\n  a: [1,\n         2, {b: c: d}]\n').loc, { file: 'f.yaml', line: 3, col: 17 });
  });

  it('every reader: from_yaml, from_yaml_all, a YAML inventory', () => {
    const t = new Templar();
    assert.deepEqual(t.evaluate('s | from_yaml', { s: 'a: [1,\n2]\n' }), { a: [1, 2] });
    // python (safe_load_all): [[1, 2], {'a': [3, 4]}]
    assert.deepEqual(loadAllYaml11('--- [1,\n2]\n--- {a: [3,\n4]}\n', 'f'), [[1, 2], { a: [3, 4] }]);
    const { doc } = parseYamlDocument('all:\n  vars:\n    ports: [80,\n  443]\n', 'inv.yaml');
    assert.deepEqual(doc.toJS(), { all: { vars: { ports: [80, 443] } } });
  });

  it('documents that parse today are not re-read; nothing to re-indent gives undefined', () => {
    assert.equal(reindentFlowContinuations('a: [1,\n     2]\n'), undefined);
    const doc = parseYaml11Document('a: [1,\n     2]\n');
    assert.deepEqual([doc.errors, doc.toJS()], [[], { a: [1, 2] }]);
  });
});
