import assert from 'node:assert/strict';
import { Templar } from '../../src/template/index.js';
import { pyJsonLoadsError } from '../../src/template/filters/pyjson-error.js';

/** Malformed text → str(json.JSONDecodeError), as printed by python3 3.11's json.loads (recorded, not derived). */
const recorded: [string, string][] = [
  ['not json', 'Expecting value: line 1 column 1 (char 0)'],
  ['', 'Expecting value: line 1 column 1 (char 0)'],
  ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
  ["{'a': 1}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
  ['{"a": 1,}', 'Expecting property name enclosed in double quotes: line 1 column 9 (char 8)'],
  ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
  ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
  ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
  ['"a\tb"', 'Invalid control character at: line 1 column 3 (char 2)'],
  ['"\\q"', 'Invalid \\escape: line 1 column 2 (char 1)'],
  ['"\\u12"', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
  ['{"a": 1} x', 'Extra data: line 1 column 10 (char 9)'],
  ['[\n  1,\n  @\n]', 'Expecting value: line 3 column 3 (char 9)'],
  // Python counts code points: the emoji is one char, not two UTF-16 units
  ['["😀", x]', 'Expecting value: line 1 column 7 (char 6)'],
  ['\ufeff{}', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
  ['-', 'Expecting value: line 1 column 1 (char 0)'],
  ['01', 'Extra data: line 1 column 2 (char 1)'],
];

describe("from_json fails with Python's json.loads message", () => {
  for (const [text, message] of recorded) {
    it(JSON.stringify(text), () => assert.equal(pyJsonLoadsError(text), message));
  }

  it('finds no error in text Python accepts, NaN and Infinity included', () => {
    for (const text of ['{"a": [1, -0.5e3, "\\ud83d\\ude00"]}', ' null\n', 'NaN', '[-Infinity]']) assert.equal(pyJsonLoadsError(text), undefined);
  });

  it('is the message the filter raises', () => {
    assert.throws(() => new Templar().render("{{ '[1,]' | from_json }}", {}), (e: Error) => e.message.includes('Expecting value: line 1 column 4 (char 3)') && !e.message.includes('Unexpected token'));
  });
});
