import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Templar } from '../../src/template/index.js';

const t = new Templar();
const dir = mkdtempSync(join(tmpdir(), 'kelpie-tests-'));
writeFileSync(join(dir, 'f'), 'x');
mkdirSync(join(dir, 'd'));
symlinkSync(join(dir, 'f'), join(dir, 'l'));

const vars = {
  ok: { changed: false, failed: false },
  chg: { changed: true },
  bad: { failed: true, msg: 'boom' },
  skip: { skipped: true, changed: false },
  down: { unreachable: true },
  looped: { changed: false, results: [{ changed: false }, { changed: true }] },
  dir,
};

const truthyCases = [
  'x is undefined', '1 is defined', 'none is none', '1 is truthy', '0 is falsy', 'true is boolean', "'s' is string", '1 is number',
  '1 is integer', '1.5 is float', '{} is mapping', '[] is sequence', "'ab' is iterable", '2 is equalto(2)', '2 is equalto 2', '9 is divisibleby 3', 'false is sameas false', "'1.0' is version('1.0.0', '==', strict=true)", '2 is eq(2)', '2 is ne(3)',
  '1 is lt(2)', '2 is gt(1)', '2 is le(2)', '2 is ge(2)', '1 is in([1, 2])', '[1, 2] is contains(2)', '9 is divisibleby(3)', '2 is even',
  '3 is odd', "'abc' is lower", "'ABC' is upper", "'abc' is match('ab')", "'xabc' is search('bc')", "'abc' is regex('^a.c$')",
  "'ABC' is match('abc', ignorecase=true)", "'1.10' is version('1.9', '>')", "'1.2.3' is version('1.2.3', '==')", "'2.0' is version('10.0', 'lt')",
  "'1.0.0-rc1' is version('1.0.0', '<', version_type='semver')", "'1.2' is version('1.1', 'ge', strict=true)", "'7.2' is version_compare('7.10', '<')",
  '[1, 2] is subset([1, 2, 3])', '[1, 2, 3] is superset([2])', 'chg is changed', 'looped is changed', 'ok is not changed', 'bad is failed',
  'ok is succeeded', 'ok is success', 'skip is skipped', 'down is unreachable', 'bad is not succeeded',
  'dir is directory', "(dir ~ '/f') is file", "(dir ~ '/f') is exists", "(dir ~ '/l') is link", "(dir ~ '/f') is abs", "'rel/x' is not abs",
  "(dir ~ '/nope') is not exists", 'none is not string',
];

describe('tests behave as in Ansible', () => {
  for (const expr of truthyCases) it(expr, () => assert.equal(t.evaluate(expr, vars), true));
  it('false cases are false', () => {
    for (const expr of ["'abc' is match('bc')", '1 is float', "'1.10' is version('1.9', '<')", 'ok is failed', 'ok is skipped', '[] is mapping']) {
      assert.equal(t.evaluate(expr, vars), false, expr);
    }
  });
  it('changed/failed require a result dict', () => {
    assert.throws(() => t.evaluate("'x' is changed", vars), /expects a dictionary/);
  });
  it('fails on undefined except for defined/undefined', () => {
    assert.throws(() => t.evaluate('nope is string', vars), /'nope' is undefined/);
    // Ansible's result tests see an undefined result as "not a dictionary"
    assert.throws(() => t.evaluate('nope is changed', vars), /The 'changed' test expects a dictionary/);
  });
  it('strict versions reject loose strings', () => {
    assert.throws(() => t.evaluate("'1.2-beta' is version('1.0', '>', strict=true)", vars), /invalid version/);
  });
  it('works inside select/reject', () => {
    assert.deepEqual(t.evaluate("['1.2', '2.0', '1.10'] | select('version', '1.5', '>') | list", vars), ['2.0', '1.10']);
  });
});
