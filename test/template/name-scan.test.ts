/**
 * Issue 12 (startup): the load-time check of filter and test names skips nunjucks' parse
 * when a regex scan (src/template/nameScan.ts) finds only known names. The scan must never
 * be less strict than the parse: over every templated string of the repository (playbooks,
 * test fixtures, the Jinja parity corpus and its goldens), variants of them with misspelt
 * names and odd whitespace, and hand-written tricky cases, unknownNames (scan, then parse
 * when in doubt) must say exactly what the parse alone says.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isTemplate } from '../../src/template/index.js';
import { knownNames, needsParse, parsedUnknownNames, unknownNames } from '../../src/template/names.js';
import { nameCandidates, type NameCandidate } from '../../src/template/nameScan.js';
import { loadCorpus } from '../parity/jinja/corpus.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|j2|json)$/.test(f))
    .map((f) => join(ROOT, dir, f))
    .sort();
}

/** Every string in a parsed YAML or JSON value, keys included. */
function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value instanceof Map) for (const [k, v] of value) stringsIn([k, v], out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
}

/** The repository's templated text: every string of its playbooks and test data, and its template files. */
function repositoryStrings(dirs: string[]): string[] {
  const out: string[] = [];
  for (const file of dirs.flatMap(filesUnder)) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.j2')) {
      out.push(text);
      continue;
    }
    for (const doc of parseAllDocuments(text)) {
      if (!('errors' in doc) || doc.errors.length) continue;
      stringsIn(doc.toJS({ maxAliasCount: -1, mapAsMap: true }), out);
    }
  }
  return out;
}

/** The Jinja parity corpus's cases: expressions, templates, structures and template files. */
function jinjaCorpusStrings(): string[] {
  const out: string[] = [];
  for (const file of loadCorpus()) {
    for (const c of file.cases) {
      if (c.kind === 'expr') out.push(c.expr, `{{ ${c.expr} }}`);
      else if (c.kind === 'tmpl') out.push(c.tmpl);
      else if (c.kind === 'msg') stringsIn(c.msg, out);
      else out.push(c.file, ...Object.values(c.files));
    }
  }
  return out;
}

const known = knownNames();
const KNOWN_WORD = /[A-Za-z_]\w*/g;

/**
 * Variants that hold names the parse reports: each known filter or test name in turn
 * misspelt, and the text with its whitespace changed to each of the kinds the lexer
 * skips and two it does not.
 */
function variants(text: string): string[] {
  const out: string[] = [];
  // (a long text's variants would cost seconds of parsing and find nothing its lines do not)
  if (text.length > 2000 || !/[|]|\bis\b|\bfilter\b/.test(text)) return out;
  for (const m of text.matchAll(KNOWN_WORD)) {
    if (out.length >= 6) break;
    if (known.filters.has(m[0]) || known.tests.has(m[0])) out.push(`${text.slice(0, m.index)}${m[0]}q${text.slice(m.index + m[0].length)}`);
  }
  for (const space of ['\n', '\t', '\xa0', '\u2028', '\v', '']) out.push(text.replace(/ /g, space));
  out.push(text.replace(/\bdefined\b/g, 'definde').replace(/\| ?/g, '|\n '));
  return out;
}

interface Mismatch {
  text: string;
  expression: boolean;
  scanned: unknown;
  parsed: unknown;
  candidates?: NameCandidate[];
}

/** Checks each text as a template and as a bare expression, or (`natural`) only as the loader would read it. */
function mismatches(texts: Iterable<string>, natural = false): { checked: number; skipped: number; found: Mismatch[] } {
  let checked = 0;
  let skipped = 0;
  const found: Mismatch[] = [];
  for (const text of texts) {
    for (const expression of natural ? [!isTemplate(text)] : [false, true]) {
      checked++;
      const parsed = parsedUnknownNames(text, expression);
      // (when the scan is in doubt unknownNames is this very parse: the check is the scan's `no`)
      let scanned = parsed;
      if (!needsParse(text, expression)) {
        skipped++;
        scanned = unknownNames(text, expression);
      }
      // and the scan reads a superset: every name the parse reports is among its candidates
      const candidates = nameCandidates(text, expression);
      const missed = candidates && parsed.some((p) => !candidates.some((c) => c.kind === p.kind && c.name === p.name));
      if (missed || JSON.stringify(scanned) !== JSON.stringify(parsed)) found.push({ text, expression, scanned, parsed, ...(missed ? { candidates } : {}) });
    }
  }
  return { checked, skipped, found };
}

/** Cases written to hit the scan's edges; each holds an unknown name unless it says otherwise. */
const TRICKY = [
  '{{ x |to_jsno }}',
  '{{ x|\nto_jsno }}',
  '{{ x |\t\r\n to_jsno }}',
  '{{ x |\xa0to_jsno }}',
  '{{ x |\u2028upper }}',
  '{{ x |\vupper }}',
  '{{ x | upper"a" }}',
  '{{ x | upper | lowr }}',
  '{{ x ||upper }}',
  '{{ x | ansible.builtin.to_yml }}',
  '{{ x | ansible . legacy . to_yml }}',
  '{{ x | ansible.builtin.0x }}',
  '{{ x | 1.5 }}',
  '{{ x | community.general.anything }}',
  '{{ x | map("flaten") | list }}',
  "{{ x | selectattr('a', 'equlto', 1) }}",
  "{{ x | map('up' 'per') }}",
  "{{ x | map('\\x75ppr') }}",
  "{{ x | map(attribute='a', 'flaten') }}",
  '{{ x | map ( "flaten" ) }}',
  "{{ x | ansible.builtin.map('flaten') }}",
  "{{ x | map('upper')('flaten') }}",
  "{{ x | selectattr(a.b = 1, 'defined', 'sucess') }}",
  "{{ x | selectattr('k=v', 'sucess') }}",
  "{{ x | selectattr(a', 'sucess', b') }}",
  "{{ x | selectattr('a', 'sucess' if y else 'defined') }}",
  "{{ x | select('sucess\\'') }}",
  "{{ x | selectattr('a\\'', 'sucess') }}",
  "{{ x | selectattr(f(1, 2), 'sucess') }}",
  "{{ x | select('up}per') | select('x,y') | select('sucess') }}",
  "{{ x | select({'a': [1, 2]}) | selectattr({'a': 'b'}, 'sucess') }}",
  "{{ x | reject(r/a/, 'sucess') | select('equlto') }}",
  "{{ x | rejectattr('a', 'defined', 'sucess') | rejectattr('a', 'sucess') }}",
  "{{ x | map(('flaten')) | map('flaten') }}",
  '{% filter upperr %}x{% endfilter %}',
  '{%- filter ansible.builtin.lowr -%}x{% endfilter %}',
  'x is sucess',
  'x is\nnot\nsucess',
  'x is\tnot  sucess',
  'x is\xa0sucess',
  'x is not not defined',
  'x.0is sucess',
  '1e+5is sucess',
  '"a"is sucess',
  "'a'is not sucess",
  'x is ansible.builtin.sucess',
  'x is ansible . builtin . sucess',
  "x is ansible['builtin']['sucess']",
  'x is ansible(1).builtin.sucess',
  'x is ansible (1) (2) . builtin . sucess',
  'x is sucess(1)',
  'x is divisibleby 3 and y is sameass false',
  'x is defined == true and y is sucess',
  '(x)is sucess',
  '{% if x is sucess %}{% endif %}',
  "{{ {'a': x | to_jsno} }}",
  '{{ x | to_jsno',
  '{# x | bogus #}{{ x }}',
  '{% raw %}{{ x | bogus }}{% endraw %}',
  "{{ 'a | bogus' }}",
  '{{ x is(sucess) }}',
  '{{ x is -sucess }}',
  '{{ a | upper }}\n{{ b is sucess }}\n{{ c | lowr }}',
  "{# {{ ' #}{{ ' }} x' | bogus }}",
  "{% raw %}{{ '{% endraw %}{{ '}}' | bogus }}",
  "{{ 'a'\u2028'}}' | bogus }}",
  "{{ {'a': {'b': 1}} | to_jsno }} {% if {'a': 1} %}{{ x is sucess }}{% endif %}",
  "a | b {{ x }} c {{ '}}' ~ y | lowr }} d",
  "{{ x | selectattr('a'\u2028', ', 'sucess') }}",
  "{{ a'b | bogus }}",
  "{{ 'a\\'' | bogus }}",
  "{{ x.0'|' | bogus }}",
  "'x | y' in z and q is sucess",
];

/** Common templates the scan decides alone. */
const COMMON = [
  "{{ x | default('') }}",
  'x is defined',
  'x is\n  not\n  defined and y | bool',
  "{{ x|upper }}{{ y | ansible.builtin.to_json }}{{ z is ansible.builtin.version('1.0', '>=') }}",
  "{{ items | map(attribute='name') | join(',') }}".replace('map', 'sort'),
  'result is succeeded or result is not changed',
  '{{ 1 | int is divisibleby 2 }}',
  'plain text, no template',
  "{{ 'a | bogus' ~ x | lower }}{{ x ~ ' is sucess, is it' }}",
  "'x | y' in z and 'is it' not in q",
  'echo {{ x | quote }} | awk \'{print $1}\' | tail -1; this is what it is',
  "{{ x | map('upper') | select('defined') | reject('match', '^#') | list }}",
  "{{ r.results | selectattr('changed', 'defined') | selectattr('changed') | map(attribute='item') | list }}",
  "{{ x | map('regex_replace', '^', '{\"a\": \"') | rejectattr('a', 'in', y | default([])) }}",
];

describe('load-time name check: the scan is never less strict than the parse', () => {
  it('tricky cases: scan-then-parse reports what the parse reports, and the parse does find each typo', () => {
    const { found } = mismatches(TRICKY);
    assert.deepEqual(found, []);
    // the cases hold what they say: the parse reports a name for most of them
    const reporting = TRICKY.filter((t) => parsedUnknownNames(t).length + parsedUnknownNames(t, true).length > 0);
    assert.ok(reporting.length >= 35, `only ${reporting.length} tricky cases report a name`);
    assert.deepEqual(parsedUnknownNames('x.0is sucess', true), [{ kind: 'test', name: 'sucess' }]);
    assert.deepEqual(parsedUnknownNames('1e+5is sucess', true), [{ kind: 'test', name: 'sucess' }]);
    assert.deepEqual(parsedUnknownNames("x is ansible['builtin']['sucess']", true), [{ kind: 'test', name: 'ansible.builtin.sucess' }]);
  });

  it('common templates skip the parse', () => {
    assert.deepEqual(
      COMMON.filter((t) => needsParse(t, !isTemplate(t))),
      [],
    );
    for (const t of COMMON) assert.deepEqual(parsedUnknownNames(t), []);
  });

  it('every templated string of playbooks/ and test data, and variants of them, agree with the parse', function () {
    this.timeout(120_000);
    const corpus = [...new Set([...repositoryStrings(['playbooks', 'test']), ...jinjaCorpusStrings()])];
    assert.ok(corpus.length > 5000, `only ${corpus.length} strings`);
    const asIs = mismatches(corpus);
    const varied = mismatches(new Set(corpus.flatMap(variants)), true);
    const checked = asIs.checked + varied.checked;
    console.log(`      ${corpus.length} strings and ${varied.checked} variants: ${checked} checks, ${asIs.skipped + varied.skipped} without a parse`);
    assert.ok(checked > 40_000, `only ${checked} checks`);
    assert.deepEqual([...asIs.found, ...varied.found].slice(0, 5), []);
  });

  it("the playbooks' templates mostly skip the parse", () => {
    const templated = repositoryStrings(['playbooks']).filter((t) => /[|]|\bis\b/.test(t));
    const { checked, skipped } = mismatches(templated);
    assert.ok(skipped > checked * 0.6, `${skipped} of ${checked} skip the parse`);
  });
});
