/**
 * to_yaml / to_nice_yaml against Ansible's own filters: fixtures/yaml-dump/yaml-dump.golden.json
 * was recorded by fixtures/yaml-dump/record.py (Ansible's filter functions, PyYAML over libyaml)
 * on a generated corpus: long sentences folding past the width at every nesting depth, strings
 * needing quotes, control and non-BMP characters, keys, indents, widths, flow style, document
 * markers. Each case renders the filter through the Templar and must give the same bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Templar } from '../../src/template/index.js';
import { PyFloat } from '../../src/template/pyvalue.js';

interface GoldenCase {
  filter: 'to_yaml' | 'to_nice_yaml';
  kwargs: Record<string, number | boolean>;
  value: unknown;
  output: string;
}

const golden = JSON.parse(readFileSync(new URL('./fixtures/yaml-dump/yaml-dump.golden.json', import.meta.url), 'utf8')) as GoldenCase[];

/** The recorded value as kelpie holds it: `{"$float": repr}` is a Python float. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$float'] === 'string') return new PyFloat(Number(o['$float'].replace('inf', 'Infinity')));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

function expression(c: GoldenCase): string {
  const kw = Object.entries(c.kwargs).map(([k, v]) => `${k}=${String(v)}`);
  return `{{ v | ${c.filter}${kw.length ? `(${kw.join(', ')})` : ''} }}`;
}

describe("to_yaml / to_nice_yaml give Ansible's bytes (recorded golden)", () => {
  const templar = new Templar();
  const render = (c: GoldenCase): unknown => templar.render(expression(c), { v: decode(c.value) });

  it('the golden holds the corpus (long folding sentences, quoting, structures)', () => {
    assert.ok(golden.length >= 800, `${golden.length} cases`);
    assert.ok(golden.filter((c) => c.output.split('\n').some((l) => l.length > 80)).length > 0);
  });

  golden.forEach((c, i) => {
    it(`#${i} ${expression(c)} ${JSON.stringify(c.value).slice(0, 60)}`, () => assert.equal(render(c), c.output));
  });
});
