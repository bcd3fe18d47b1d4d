/**
 * kelpie's check of a pattern against Python's re (src/modules/_lib/pyRegexSyntax.ts), compared
 * with what Python 3.11 itself said of each pattern in test/fixtures/python-regex/patterns.json
 * (recorded by record.py beside it into errors.json): the same verdict and the same words,
 * position included, for text and for bytes patterns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pythonRegexError } from '../../../src/modules/_lib/pyRegexSyntax.js';
import { compilePyRegex, PyRegexError } from '../../../src/modules/_lib/pyregex.js';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/python-regex/errors.json', import.meta.url), 'utf8')) as Record<'text' | 'bytes', Record<string, string | null>>;

/** What only Python's compiler (widths) or its Unicode name table (text \N{…}) knows: these pass kelpie's check. */
const NOT_CHECKED = { text: new Set(['(?<=a|bc)x', '[\\N{x}-a]']), bytes: new Set(['(?<=a|bc)x']) };

function said(pattern: string, bytes: boolean): string | null {
  const e = pythonRegexError(pattern, bytes);
  return e ? `${e.exception}: ${e.message}` : null;
}

describe("Python's verdict on a regular expression", () => {
  for (const kind of ['text', 'bytes'] as const) {
    it(`${kind} patterns: the verdict and message Python gave, for every recorded pattern`, () => {
      const wrong: string[] = [];
      for (const [pattern, want] of Object.entries(recorded[kind])) {
        const got = said(pattern, kind === 'bytes');
        if (NOT_CHECKED[kind].has(pattern)) assert.equal(got, null, `${pattern} is now checked: remove it from NOT_CHECKED`);
        else if (got !== want) wrong.push(`${JSON.stringify(pattern)}: python ${want}, kelpie ${got}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('compilePyRegex refuses what Python refuses, in its words, where JavaScript would accept the pattern', () => {
    assert.doesNotThrow(() => new RegExp('a\\q'));
    assert.throws(() => compilePyRegex('a\\q'), (e: unknown) => e instanceof PyRegexError && e.why === 'bad escape \\q at position 1' && e.pythonLastLine === 're.error: bad escape \\q at position 1');
    assert.throws(() => compilePyRegex('a{99999999999}'), (e: unknown) => e instanceof PyRegexError && e.pythonLastLine === 'OverflowError: the repetition number is too large');
  });

  it('a bytes pattern refuses the text-only escapes and shows a byte above 0x7f escaped', () => {
    assert.equal(said('\\u00e9', false), null);
    assert.equal(said('\\u00e9', true), 're.error: bad escape \\u at position 0');
    assert.equal(said(Buffer.from('é[', 'utf8').toString('latin1'), true), 're.error: unterminated character set at position 2');
  });
});
