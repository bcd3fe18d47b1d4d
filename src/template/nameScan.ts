/**
 * A cheap reading of the filter and test names a template could use, so that names.ts can
 * skip nunjucks' lexer and parser when every one of them is known (the load-time check
 * parses every templated string of a playbook, and almost always finds nothing).
 *
 * The reading must never miss a name the parse would report: it reads a SUPERSET of them.
 * It mirrors how kelpie's tokenizer cuts code into tokens (nunjucks' lexer plus patch.ts and
 * syntax.ts): whitespace is only ` \n\t\r\xA0`, and a name token runs until whitespace or
 * one of nunjucks' delimiter characters (a quote does not end it: `upper"` is one token).
 * It reads the whole text, data, comments, raw blocks and string literals included: a
 * word there that is not a known name only costs a parse.
 */

const SPACE = ' \\n\\t\\r\\xA0';
/** nunjucks' lexer's delimChars, escaped for a character class. */
const DELIMS = '()\\[\\]{}%*\\-+~/#,:|.<>=!';
const SPACES = new RegExp(`[${SPACE}]*`, 'y');
const TOKEN = new RegExp(`[^${SPACE}${DELIMS}]*`, 'y');

/**
 * A token `is`: it ends where a token ends. Before it can stand whitespace, a delimiter, a
 * quote (the end of a string) or a digit (the end of `x.0` or of an exponent `1e+5`, which
 * kelpie's tokenizer cuts before the next letter), never a letter or `_`: those would be
 * the end of one longer name (`this`, `x_is`).
 */
const IS = new RegExp(`(?<![A-Za-z_])is(?=[${SPACE}${DELIMS}]|$)`, 'g');
/** `{% filter name %}` applies a filter too; any token `filter` leaves the text to the parse. */
const FILTER_WORD = new RegExp(`(?<![A-Za-z_])filter(?=[${SPACE}${DELIMS}]|$)`);
/** A call's result looked up further (`t(1).x`, `t(1)[0]`): the test's name would grow. */
const LOOKUP_AFTER_CALL = new RegExp(`\\)[${SPACE}]*[.[]`);

export interface NameCandidate {
  kind: 'filter' | 'test';
  name: string;
}

function skipSpaces(text: string, at: number): number {
  SPACES.lastIndex = at;
  SPACES.exec(text);
  return SPACES.lastIndex;
}

function tokenAt(text: string, at: number): string {
  TOKEN.lastIndex = at;
  return TOKEN.exec(text)![0];
}

/**
 * The name written at `at` (after whitespace) as the parser joins it, `a . b` → `a.b`, and
 * where it ends; '' when no name token starts there. A dotted part that is not a name token
 * (`x.0`, `x.(`) is kept as '' so that the whole name is not a known one.
 */
function dottedNameAt(text: string, at: number): { name: string; end: number } {
  let pos = skipSpaces(text, at);
  let name = tokenAt(text, pos);
  if (name === '') return { name, end: pos };
  pos += name.length;
  for (let next = skipSpaces(text, pos); text[next] === '.'; next = skipSpaces(text, pos)) {
    pos = skipSpaces(text, next + 1);
    const part = tokenAt(text, pos);
    name += `.${part}`;
    pos += part.length;
  }
  return { name, end: pos };
}

/**
 * Every filter name (after each `|`) and test name (after each `is` or `is not`) text could
 * use, in no particular order; undefined when a regex cannot bound them: `{% filter %}`, or
 * a test name looked up further (`is a['b']`, `is t(1).x`), which the parser joins into the name.
 * An empty list means text names no filter and no test.
 */
export function nameCandidates(text: string): NameCandidate[] | undefined {
  if (FILTER_WORD.test(text)) return undefined;
  const found: NameCandidate[] = [];
  for (let bar = text.indexOf('|'); bar !== -1; bar = text.indexOf('|', bar + 1)) {
    const { name } = dottedNameAt(text, bar + 1);
    // an empty name is no filter: the parse fails there, and text yields none
    if (name !== '') found.push({ kind: 'filter', name });
  }
  for (const is of text.matchAll(IS)) {
    let { name, end } = dottedNameAt(text, is.index + 2);
    if (name === 'not') ({ name, end } = dottedNameAt(text, end));
    // a test that does not start with a name token (a literal, a bracket, `-x`) has no name
    if (name === '') continue;
    const after = skipSpaces(text, end);
    if (text[after] === '[') return undefined;
    if (text[after] === '(' && LOOKUP_AFTER_CALL.test(text.slice(after))) return undefined;
    found.push({ kind: 'test', name });
  }
  return found;
}
