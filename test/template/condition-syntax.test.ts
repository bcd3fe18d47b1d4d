/**
 * A condition with an unparenthesized inline `A if B [else C]` at its top is a Jinja syntax
 * error in Ansible (its `{% if %}` tag reads the test without conditional expressions);
 * recorded in test/parity/golden/language/conditional-syntax.json.
 */
import assert from 'node:assert/strict';
import { TemplateError } from '../../src/errors.js';
import { Templar } from '../../src/template/index.js';
import { conditionSyntaxError, hasTopLevelInlineIf } from '../../src/template/conditionSyntax.js';

const t = new Templar();
const loc = { file: 'site.yaml', line: 3, col: 9 };

describe('conditions Jinja cannot read as an {% if %} test', () => {
  it('finds an inline if outside brackets and strings, with or without else, also in a tuple item', () => {
    for (const c of ["'x' if false", 'true if a == 1 else false', 'a, b if c', 'x | default(1) if y', 'not a if b']) assert.ok(hasTopLevelInlineIf(c), c);
  });

  it('leaves an inline if inside brackets, string literals, names and attributes alone', () => {
    for (const c of ["('x' if false)", '[1 if false]', "'x' in ('ax' if true else 'b')", 'd | default(1 if t else 0)', "'a if b' == s", 'iffy', 'gift if_x', 'x.if', "{'k': 1 if a}"]) {
      assert.ok(!hasTopLevelInlineIf(c), c);
    }
  });

  it('evaluateConditional refuses it at the condition, in Ansible words, naming the condition', () => {
    assert.throws(
      () => t.evaluateConditional("'x' if false", {}, loc),
      (e: unknown) => {
        assert.ok(e instanceof TemplateError && conditionSyntaxError(e));
        assert.deepEqual(e.loc, loc);
        assert.equal(
          e.message,
          "The conditional check ''x' if false' failed. The error was: template error while templating string: expected token 'end of statement block', got 'if'. " +
            "String: {% if 'x' if false %} True {% else %} False {% endif %}. expected token 'end of statement block', got 'if'",
        );
        return true;
      },
    );
    // an item of a list of conditions is named alone
    assert.throws(() => t.evaluateConditional(['true', '1 if true else 0'], {}, loc), /conditional check '1 if true else 0' failed/);
  });

  it('refuses the condition a {{ }} renders to, showing the rendered text', () => {
    assert.throws(() => t.evaluateConditional('{{ c }} if true', { c: 'a' }, loc), /String: \{% if a if true %\}/);
  });

  it('keeps the result of every condition Jinja does read', () => {
    assert.equal(t.evaluateConditional("('x' if false)", {}), false);
    assert.equal(t.evaluateConditional('(1 if true else 0)', {}), true);
    assert.equal(t.evaluateConditional('[1 if false]', {}), true);
    assert.equal(t.evaluateConditional('false, false', {}), true);
    assert.equal(t.evaluateConditional("s == 'a if b'", { s: 'a if b' }), true);
  });
});
