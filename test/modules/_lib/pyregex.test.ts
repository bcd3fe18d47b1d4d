import assert from 'node:assert/strict';
import { compilePyRegex, pySubn } from '../../../src/modules/_lib/pyregex.js';

describe('Python regular expressions in JavaScript', () => {
  it('gives $ Python meaning: end or before a final newline, not before \\r', () => {
    assert.ok(compilePyRegex('b$').test('ab\n'));
    assert.ok(!compilePyRegex('b$').test('ab\r\n'));
    assert.ok(!compilePyRegex('b$').test('ab\nc'));
  });
  it('translates named groups, named backreferences and \\A \\Z', () => {
    const m = compilePyRegex('(?P<w>a+)-(?P=w)\\Z').exec('aa-aa');
    assert.equal(m?.groups?.w, 'aa');
    assert.ok(!compilePyRegex('\\Ax').test('yx'));
  });
  it('applies leading inline flags and verbose mode', () => {
    assert.ok(compilePyRegex('(?i)abc').test('ABC'));
    assert.ok(compilePyRegex('(?x) a b  # comment\n c').test('abc'));
    assert.ok(compilePyRegex('(?s)a.b').test('a\nb'));
    assert.ok(!compilePyRegex('a.b').test('a\nb'));
  });
  it('keeps a leading ] literal inside a class and reads {,n} as {0,n}', () => {
    assert.ok(compilePyRegex('[]x]').test(']'));
    assert.ok(compilePyRegex('^a{,2}$').test('aa'));
  });
  it('substitutes with \\1, \\g<name> and escapes; multiline anchors see only \\n', () => {
    const re = compilePyRegex('^(?P<k>\\w)=(\\w)$', { multiline: true, global: true });
    assert.deepEqual(pySubn(re, '\\2\\t\\g<k>', 'a=1\r\nb=2\n'), ['a=1\r\n2\tb\n', 1]);
  });
});
