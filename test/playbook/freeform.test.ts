import assert from 'node:assert/strict';
import { parseFreeForm, splitWords } from '../../src/playbook/index.js';

describe('parseFreeForm', () => {
  it('splits k=v pairs and keeps the rest', () => {
    const r = parseFreeForm('ls -l chdir=/tmp');
    assert.deepEqual(r.params, { chdir: '/tmp' });
    assert.equal(r.rest, 'ls -l');
  });

  it('respects quotes in values and keeps quotes in the rest', () => {
    const r = parseFreeForm(`echo "a  b" 'c' msg="hello world" k2='x y'`);
    assert.deepEqual(r.params, { msg: 'hello world', k2: 'x y' });
    assert.equal(r.rest, `echo "a  b" 'c'`);
  });

  it('never splits inside a Jinja expression', () => {
    const r = parseFreeForm(`msg={{ x | default('a b') }} var=y`);
    assert.deepEqual(r.params, { msg: "{{ x | default('a b') }}", var: 'y' });
    assert.equal(r.rest, '');
  });

  it('with `only`, other k=v words stay in the command', () => {
    const r = parseFreeForm('echo a=b chdir=/srv creates=/x', { only: new Set(['chdir', 'creates']) });
    assert.deepEqual(r.params, { chdir: '/srv', creates: '/x' });
    assert.equal(r.rest, 'echo a=b');
  });

  it('keeps newlines and spacing of multi-line scripts, the final newline too', () => {
    const text = 'if true; then\n  echo   yes\nfi\n';
    assert.equal(parseFreeForm(text).rest, 'if true; then\n  echo   yes\nfi\n');
  });

  it('records where each key starts', () => {
    const r = parseFreeForm('src=a dest=b');
    assert.deepEqual(r.offsets, { src: 0, dest: 6 });
  });

  it('unescapes \\" inside double-quoted values', () => {
    assert.deepEqual(parseFreeForm('msg="say \\"hi\\""').params, { msg: 'say "hi"' });
  });

  it('splitWords keeps quoted whitespace in one word', () => {
    assert.deepEqual(splitWords(`a "b c" d`).map((t) => t.raw), ['a', '"b c"', 'd']);
  });
});
