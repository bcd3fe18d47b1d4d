import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type KelpieError, TemplateError } from '../../src/errors.js';
import { Templar, isTemplate, markUnsafe, pythonRepr } from '../../src/template/index.js';

const t = new Templar();
const loc = { file: 'site.yaml', line: 14, col: 7 };

function templateError(fn: () => unknown, pattern: RegExp): KelpieError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected TemplateError, got ${String(e)}`);
    assert.equal(e.code, 'template');
    assert.match(e.message, pattern);
    return e;
  }
  assert.fail('expected a template error');
}

describe('Templar.render: native values', () => {
  const vars = { users: ['a', 'b'], port: 80, d: { k: [true, null] }, on: true, nothing: null, f: 1.5 };
  it('returns the native value of a lone {{ expr }}', () => {
    assert.deepEqual(t.render('{{ users }}', vars), ['a', 'b']);
    assert.equal(t.render('{{ port }}', vars), 80);
    // text around the expression makes it text, as in Ansible (a trailing newline must survive)
    assert.equal(t.render('  {{ on }} ', vars), '  True ');
    assert.equal(t.render('{{ port }}\n', vars), '80\n');
    assert.equal(t.render('{{ nothing }}', vars), null);
    assert.deepEqual(t.render('{{ d }}', vars), { k: [true, null] });
    // only a lone variable keeps its number; a computed number renders to text (convert_data)
    assert.equal(t.render('{{ port + 1 }}', vars), '81');
    assert.equal(t.render('{{ 4 / 2 }}', vars), '2.0');
    assert.deepEqual(t.render('{{ [port + 1] }}', vars), [81]);
  });
  it('returns a string when text surrounds the expression', () => {
    assert.equal(t.render('port={{ port }}', vars), 'port=80');
    assert.equal(t.render('{{ port }}{{ port }}', vars), '8080');
  });
  it('returns non-template strings unchanged', () => {
    const s = 'plain text with { braces }';
    assert.equal(t.render(s, vars), s);
    assert.equal(isTemplate(s), false);
    assert.equal(isTemplate('{{ x }}'), true);
    assert.equal(isTemplate('{% if x %}{% endif %}'), true);
  });
  it('returns plain data, not proxies of the vars', () => {
    const out = t.render('{{ d }}', vars) as { k: unknown[] };
    out.k.push(1);
    assert.deepEqual(vars.d.k, [true, null]);
    assert.equal(structuredClone(out).k.length, 3);
  });
});

describe('Python rendering inside strings', () => {
  const cases: [string, string][] = [
    ['{{ True }} {{ False }} {{ true }} {{ none ~ "" }}', 'True False True None'],
    ['{{ [1, 2, 3] }}', '[1, 2, 3]'],
    ["{{ {'a': 1, 'b': [True, None]} }}", "{'a': 1, 'b': [True, None]}"],
    ["{{ ['x', \"it's\"] }}", `['x', "it's"]`],
    ['{{ 3 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }}', '1.5 2.0 3 -4 1024 0.5'],
    ['{{ 7 % 3 }} {{ -7 % 3 }} {{ 1.0 }} {{ 2.0 * 2 }} {{ 0.1 + 0.2 }}', '1 2 1.0 4.0 0.30000000000000004'],
    ["{{ 'a' ~ 1 ~ True }} {{ 'ab' * 2 }} {{ [1] + [2] }}", 'a1True abab [1, 2]'],
    ["{{ 'x' if 1 > 2 else 'y' }} {{ 2 in [1, 2] }} {{ 'b' in 'abc' }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }}", 'y True True True True'],
    ['{{ [1, 2, 3][-1] }} {{ [1, 2, 3][1:] }} {{ "abcd"[::-1] }} {{ "abcd"[1:3] }}', '3 [2, 3] dcba bc'],
    ['{{ 1 == 1.0 }} {{ "1" == 1 }} {{ [1, [2]] == [1, [2]] }} {{ {"a": 1} == {"a": 1} }}', 'True False True True'],
    ['{{ 1 < 2 < 3 }} {{ "a" < "b" }} {{ [1, 2] < [1, 3] }}', 'True True True'],
    ['{{ [] or "empty" }} {{ {} and 1 }} {{ 0 or none or "z" }} {{ "a" and "b" }}', 'empty {} z b'],
    ['{% if [] %}yes{% else %}no{% endif %} {% if {} %}y{% else %}n{% endif %} {{ not [] }}', 'no n True'],
    ['{{ "%05d" % 5 }} {{ "%s-%s" % ("a", 1) }} {{ "%(x)s" % {"x": 2} }}', '00005 a-1 2'],
    ["{{ {'a': {'b': {'c': 1}}} }}", "{'a': {'b': {'c': 1}}}"],
  ];
  for (const [src, want] of cases) it(`${src} → ${want}`, () => assert.equal(t.renderString(src, {}), want));

  it('prints a bare None as an empty string, as Ansible does', () => {
    assert.equal(t.renderString('[{{ x }}]', { x: null }), '[]');
    assert.equal(t.renderString('{{ [x] }}', { x: null }), '[None]');
  });
  it('pythonRepr formats values like Python', () => {
    assert.equal(pythonRepr({ a: 'x', b: [1.5, false] }), "{'a': 'x', 'b': [1.5, False]}");
    assert.equal(pythonRepr('a\nb'), "'a\\nb'");
  });
});

describe('Python methods on strings, lists and dicts', () => {
  const cases: [string, unknown][] = [
    ["{{ 'abc'.startswith('a') and 'abc'.endswith(('x', 'c')) }}", true],
    ["{{ 'a:b:c'.split(':') }}", ['a', 'b', 'c']],
    ["{{ 'a:b:c'.split(':', 1) }}", ['a', 'b:c']],
    ["{{ 'a:b:c'.rsplit(':', 1) }}", ['a:b', 'c']],
    ["{{ '  a b  '.split() }}", ['a', 'b']],
    ["{{ ' x '.strip() ~ '|' ~ 'xxhixx'.strip('x') ~ '|' ~ ' x'.lstrip() ~ '|' ~ 'x '.rstrip() }}", 'x|hi|x|x'],
    ["{{ 'Ab'.upper() ~ 'Ab'.lower() ~ 'hello world'.title() ~ 'hELLO'.capitalize() }}", 'ABabHello WorldHello'],
    ["{{ 'aaa'.replace('a', 'b', 2) }}", 'bba'],
    ["{{ ','.join(['a', 'b']) }}", 'a,b'],
    ["{{ '{} and {}'.format('x', 1) }}", 'x and 1'],
    ["{{ '{name}!'.format(name='bob') }}", 'bob!'],
    ["{{ 'a\nb'.splitlines() }}", ['a', 'b']],
    ["{{ 'hello'.find('l') }} {{ 'hello'.count('l') }} {{ '42'.isdigit() }}", '2 2 True'],
    ['{{ [1, 2, 3].index(2) }} {{ [1, 1, 2].count(1) }}', '1 2'],
    ["{{ {'a': 1}.items() | list }}", [['a', 1]]],
    ["{{ {'a': 1}.keys() | list }} {{ {'a': 1}.values() | list }}", "['a'] [1]"],
    ["{{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 'dflt') }} {{ {'a': 1}.get('b') is none }}", '1 dflt True'],
  ];
  for (const [src, want] of cases) it(src, () => assert.deepEqual(t.render(src, {}), want));
});

describe('undefined variables', () => {
  it("names the variable: 'foo' is undefined, with the given location", () => {
    const e = templateError(() => t.render('{{ foo }}', {}, loc), /'foo' is undefined/);
    assert.deepEqual(e.loc, loc);
    assert.match(e.format(), /^site\.yaml:14:7: /);
  });
  it("names a missing attribute: 'dict object' has no attribute 'bar'", () => {
    templateError(() => t.render('{{ d.bar }}', { d: {} }), /'dict object' has no attribute 'bar'/);
    templateError(() => t.render("{{ d['bar'] }}", { d: {} }), /has no attribute 'bar'/);
  });
  it('fails on any use: arithmetic, comparison, iteration, conditions, filters', () => {
    templateError(() => t.render('{{ foo + 1 }}', {}), /'foo' is undefined/);
    templateError(() => t.render('{{ foo == 1 }}', {}), /'foo' is undefined/);
    templateError(() => t.renderString('{% for x in foo %}{% endfor %}', {}), /'foo' is undefined/);
    templateError(() => t.renderString('{% if foo %}{% endif %}', {}), /'foo' is undefined/);
    templateError(() => t.render('{{ foo | upper }}', {}), /'foo' is undefined/);
    templateError(() => t.render('{{ foo.bar }}', {}), /'foo' is undefined/);
    templateError(() => t.evaluateConditional('foo', {}), /'foo' is undefined/);
  });
  it('is inspectable with is defined, default, d, mandatory', () => {
    assert.equal(t.render('{{ foo is defined }} {{ foo is undefined }} {{ d.x is defined }}', { d: {} }), 'False True False');
    assert.equal(t.render('{{ foo | default(1) }}', {}), '1');
    assert.equal(t.render("{{ foo | d('x') }}", {}), 'x');
    assert.equal(t.render("{{ d.x.y | default('deep') }}", { d: {} }), 'deep');
    assert.equal(t.render('{{ foo.bar | default(2) }}', {}), '2');
    assert.equal(t.render("{{ '' | default('e') }} {{ '' | default('e', true) }} {{ 0 | d(5, true) }}", {}), ' e 5');
    assert.equal(t.render('{{ x | mandatory }}', { x: 3 }), '3');
    templateError(() => t.render('{{ foo | mandatory }}', {}), /Mandatory variable 'foo'  not defined\./);
    templateError(() => t.render("{{ foo | mandatory('set foo!') }}", {}), /set foo!/);
  });
  it('does not mistake Object.prototype names for variables', () => {
    templateError(() => t.render('{{ constructor }}', {}), /'constructor' is undefined/);
    assert.equal(t.render('{{ toString }}', { toString: 'mine' }), 'mine');
  });
  it('reports syntax errors as template errors with the location', () => {
    const e = templateError(() => t.render('{{ foo( }}', {}, loc), /template error/);
    assert.deepEqual(e.loc, loc);
  });
});

describe('lazy variables', () => {
  it('renders a variable that is itself a template when it is used, recursively', () => {
    const vars = { a: '{{ b }}', b: '{{ c | upper }}', c: 'x', list: ['{{ c }}', 1], deep: { k: ['{{ a }}-{{ c }}'] } };
    assert.equal(t.render('{{ a }}', vars), 'X');
    assert.deepEqual(t.render('{{ list }}', vars), ['x', 1]);
    assert.deepEqual(t.render('{{ deep }}', vars), { k: ['X-x'] });
    assert.equal(t.render('{{ deep.k[0] }}', vars), 'X-x');
    assert.equal(t.render('{{ deep | to_json }}', vars), '{"k": ["X-x"]}');
  });
  it('keeps native types through lazy vars', () => {
    assert.deepEqual(t.render('{{ a }}', { a: '{{ b }}', b: [1, 2] }), [1, 2]);
    // `a` is `{{ n }}`, a lone variable: the number 41 itself, so `a + 1` works
    assert.equal(t.evaluate('a + 1', { a: '{{ n }}', n: 41 }), 42);
    // `b` renders a computation: the text '42', as in Ansible
    assert.equal(t.evaluate('b', { b: '{{ n + 1 }}', n: 41 }), '42');
  });
  it('detects cycles with a clear error instead of overflowing the stack', () => {
    templateError(() => t.render('{{ a }}', { a: '{{ b }}', b: '{{ a }}' }), /recursive loop detected in template string: \{\{ a \}\} \(a -> b -> a\)/);
    templateError(() => t.render('{{ a }}', { a: '{{ a }}' }), /recursive loop/);
    templateError(() => t.render('{{ d.x }}', { d: { x: '{{ d.x }}' } }), /recursive loop/);
  });
  it('never renders strings inside values marked unsafe (data from hosts)', () => {
    const result = markUnsafe({ stdout: '{{ secret }}' });
    assert.equal(t.render('{{ r.stdout }}', { r: result }), '{{ secret }}');
  });
  it('reads vars in place: a large hostvars is not copied or rendered eagerly', () => {
    const hostvars: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) hostvars[`h${i}`] = { ip: `10.0.${i >> 8}.${i & 255}`, name: '{{ boom }}' };
    const vars = Object.freeze({ hostvars, inventory_hostname: 'h42' });
    assert.equal(t.render('{{ hostvars[inventory_hostname].ip }}', vars), '10.0.0.42');
    assert.equal(t.render("{{ hostvars['h4999']['ip'] }}", vars), '10.0.19.135');
    templateError(() => t.render('{{ hostvars.h1.name }}', vars), /'boom' is undefined/);
  });
  it('works with layered vars objects (prototype chains)', () => {
    const group = { a: 1, b: 'group' };
    const host = Object.assign(Object.create(group) as Record<string, unknown>, { b: 'host' });
    assert.equal(t.render('{{ a }}-{{ b }}', host), '1-host');
  });
});

describe('renderDeep, evaluate, evaluateConditional', () => {
  it('renders every string inside arrays and objects', () => {
    const args = { name: '{{ pkg }}', state: 'present', opts: ['{{ n }}', 'x{{ n }}'], nested: { list: '{{ l }}' } };
    assert.deepEqual(t.renderDeep(args, { pkg: 'nginx', n: 2, l: [1] }), { name: 'nginx', state: 'present', opts: [2, 'x2'], nested: { list: [1] } });
  });
  it('evaluates bare expressions', () => {
    assert.equal(t.evaluate('x > 1 and y', { x: 2, y: 'ok' }), 'ok');
    assert.deepEqual(t.evaluate('xs | select("odd") | list', { xs: [1, 2, 3] }), [1, 3]);
  });
  it('evaluates conditionals as a list (AND), bools and strings', () => {
    const vars = { r: { changed: true }, n: 3, empty: [] };
    assert.equal(t.evaluateConditional(true, vars), true);
    assert.equal(t.evaluateConditional(['r is changed', 'n > 2'], vars), true);
    assert.equal(t.evaluateConditional(['r is changed', 'n > 5'], vars), false);
    assert.equal(t.evaluateConditional('empty', vars), false);
    assert.equal(t.evaluateConditional('{{ n == 3 }}', vars), true);
    assert.equal(t.evaluateConditional('not empty', vars), true);
  });
});

describe('Jinja statements in template files', () => {
  it('supports if/elif/else, for with loop vars and else, set, macro, raw, filter blocks, comments', () => {
    const src = [
      '{# a comment #}',
      '{% set greeting = "hi" %}',
      '{% macro line(k, v="d") %}{{ k }}={{ v }}{% endmacro %}',
      '{% for u in users %}',
      '{{ loop.index }}/{{ loop.length }} {{ u }}{% if loop.first %} first{% elif loop.last %} last{% else %} mid{% endif %}',
      '{% else %}',
      'nobody',
      '{% endfor %}',
      '{% for k, v in d.items() %}{{ line(k, v) }} {% endfor %}',
      '{% for x in [] %}x{% else %}none{% endfor %}',
      '{% raw %}{{ not rendered }}{% endraw %}',
      '{% filter upper %}{{ greeting }}{% endfilter %}',
      '{{ line("solo") }}',
    ].join('\n');
    const out = t.renderString(src, { users: ['a', 'b', 'c'], d: { x: 1 } });
    // trim_blocks eats the newline after every block tag and comment, as in Ansible.
    assert.equal(out, '1/3 a first2/3 b mid3/3 c lastx=1 none{{ not rendered }}\nHIsolo=d');
  });
  it('applies trim_blocks by default like Ansible, and can turn it off', () => {
    const src = '{% if true %}\nyes\n{% endif %}\n';
    assert.equal(t.renderString(src, {}), 'yes\n');
    // Jinja drops the source's last newline; Ansible adds back only what the output lacks
    assert.equal(t.renderString(src, {}, undefined, { trimBlocks: false }), '\nyes\n');
    assert.equal(t.renderString('  {% if true %}\nx\n  {% endif %}\n', {}, undefined, { lstripBlocks: true }), 'x\n');
  });
  it('honours whitespace control {%- -%}', () => {
    assert.equal(t.renderString('a  {%- if true -%}  b  {%- endif -%}  c', {}), 'abc');
  });
  it('matches Ansible on comments, tuples, str.format kwargs and escapes', () => {
    const src = readFileSync(new URL('./fixtures/statements.j2', import.meta.url), 'utf8');
    const want = readFileSync(new URL('./fixtures/statements.out', import.meta.url), 'utf8');
    assert.equal(t.renderString(src, {}), want);
  });
  it('keeps trailing newlines', () => {
    assert.equal(t.renderString('{{ x }}\n\n', { x: 1 }), '1\n\n');
  });
  it('points at the failing line of a multi-line template', () => {
    const e = templateError(() => t.renderString('line1\nline2 {{ nope }}\n', {}, { file: 't.j2', line: 1, col: 1 }), /'nope' is undefined/);
    assert.deepEqual(e.loc, { file: 't.j2', line: 2, col: 1 });
  });
});

describe('compile cache', () => {
  it('reuses one compiled template for the same text across different vars', () => {
    const tl = new Templar();
    const out = Array.from({ length: 50 }, (_, i) => tl.render('{{ n * 2 }}', { n: i }));
    assert.deepEqual(out.slice(0, 3), ['0', '2', '4']);
    assert.equal((tl as unknown as { compiled: Map<string, unknown> }).compiled.size, 1);
  });
});

describe('Templar: Jinja details playbooks rely on', () => {
  const tj = new Templar();
  // what ansible-playbook printed for these playbook strings (debug msg)
  it("a playbook string's backslashes in {{ }} string literals are doubled, as Ansible does", () => {
    assert.equal(tj.render("{{ 'a b  c' | regex_replace('\\s+', '-') }}", {}), 'a-b-c');
    assert.equal(tj.render("{{ 'l1\\nl2' }}", {}), 'l1\\nl2');
    assert.deepEqual(tj.render("{{ 'a\\nb'.splitlines() }}", {}), ['a\\nb']);
    assert.throws(() => tj.render("{{ 'it\\'s' }}", {}), /templating string/);
    // not in {% %} tags: there Jinja reads the escape
    assert.equal(tj.render("{% set x = 'l1\\nl2' %}{{ x }}", {}), 'l1\nl2');
  });
  it('string literals of a template file unescape like Python: unknown escapes keep their backslash', () => {
    assert.equal(tj.renderString("{{ 'it\\'s' }} {{ 'l1\\nl2' }} {{ '\\x41\\u00e9\\101' }} {{ '\\d' }}", {}), "it's l1\nl2 A\u00e9A \\d");
    assert.throws(() => tj.renderString("{{ '\\x4' }}", {}), /truncated \\xXX escape/);
  });
  it("map('extract', container, key) looks items up in a container", () => {
    assert.deepEqual(tj.render("{{ ['a', 'b'] | map('extract', hv, 'ip') | list }}", { hv: { a: { ip: '10.0.0.1' }, b: { ip: '10.0.0.2' } } }), ['10.0.0.1', '10.0.0.2']);
  });
});

describe("Templar.render: Ansible's convert_data", () => {
  const tc = new Templar();
  it('text that renders to a Python list/dict literal or True/False becomes that value', () => {
    assert.deepEqual(tc.render('[{{ a }}, {{ b }}]', { a: 1, b: 2 }), [1, 2]);
    assert.deepEqual(tc.render("{'k': {{ a }}}", { a: 'None' }), { k: null });
    assert.equal(tc.render('{{ a }}{{ b }}', { a: 'Tr', b: 'ue' }), true);
    assert.equal(tc.render('[INFO] {{ a }}', { a: 'x' }), '[INFO] x');
  });
});
