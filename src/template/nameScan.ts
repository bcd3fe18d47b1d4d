/**
 * A cheap reading of the filter and test names a template could use, so that names.ts can
 * skip nunjucks' lexer and parser when every one of them is known (the load-time check
 * parses every templated string of a playbook, and almost always finds nothing).
 *
 * The reading must never miss a name the parse would report: it reads a SUPERSET of them.
 * It mirrors how kelpie's tokenizer cuts code into tokens (nunjucks' lexer plus patch.ts and
 * syntax.ts): whitespace is only ` \n\t\r\xA0`, and a name token runs until whitespace or
 * one of nunjucks' delimiter characters (a quote does not end it: `upper"` is one token).
 * It reads a template's tags, outside their string literals (codeWalk.ts); where it cannot
 * find those as the tokenizer does, it reads the whole text, data and literals included: a
 * word there that is not a known name only costs a parse. The name given to `map('upper')`
 * and its kin is read from the call's arguments; anything unusual there is left to the parse.
 */

import { DELIMS, SPACE, codeOf, walkCode } from './codeWalk.js';

/** Ansible's own prefixes for its builtin plugins; other dotted names are collections kelpie cannot know. */
export const BUILTIN_PREFIX = /^ansible\.(builtin|legacy)\./;

/** Filters that take a filter or test name as a string argument, and which argument (after the input). */
export const NAME_ARGUMENTS: Readonly<Record<string, { kind: 'filter' | 'test'; at: number }>> = {
  map: { kind: 'filter', at: 1 },
  select: { kind: 'test', at: 1 },
  reject: { kind: 'test', at: 1 },
  selectattr: { kind: 'test', at: 2 },
  rejectattr: { kind: 'test', at: 2 },
};

const SPACES = new RegExp(`[${SPACE}]*`, 'y');
const TOKEN = new RegExp(`[^${SPACE}${DELIMS}]*`, 'y');

/**
 * A token `is`: it ends where a token ends. Before it can stand whitespace, a delimiter, a
 * quote (the end of a string) or a digit (the end of `x.0` or of an exponent `1e+5`, which
 * kelpie's tokenizer cuts before the next letter), never a letter or `_`: those would be
 * the end of one longer name (`this`, `x_is`).
 */
const IS = new RegExp(`(?<![A-Za-z_])is(?=[${SPACE}${DELIMS}]|$)`, 'g');
const IS_AT = new RegExp(IS.source, 'y');
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
 * where it ends; '' when no name token starts there. A dotted name is never a known one,
 * so a part the parser would refuse (`x.(`, `x.0`) needs no care here.
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

const PLAIN_STRING = new RegExp(`^[${SPACE}]*(?:'([^'\\\\]*)'|"([^"\\\\]*)")[${SPACE}]*$`);
/** `name = value`: a keyword argument, not a positional one (a lone `=`, not `==`; no quote before it). */
const KEYWORD = new RegExp(`^[${SPACE}]*[^${SPACE}${DELIMS}'"]+[${SPACE}]*=(?!=)`);
const STARTS_QUOTED = new RegExp(`^[${SPACE}]*['"]`);
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

interface Argument {
  text: string;
  /** an `=` outside strings and brackets: a keyword argument, or a comparison */
  equals: boolean;
}

/**
 * The top-level arguments of the call whose `(` is at `open`, as written, and where the call
 * ends; null when walkCode cannot follow them, or a string or bracket never closes.
 */
function callArguments(text: string, open: number): { args: Argument[]; end: number } | null {
  const closers: string[] = [];
  const args: Argument[] = [];
  let start = open + 1;
  let equals = false;
  let end = -1;
  walkCode(text, open, (c, i) => {
    if (CLOSER[c]) closers.push(CLOSER[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (closers.pop() !== c) return true;
      if (closers.length > 0) return false;
      args.push({ text: text.slice(start, i), equals });
      end = i + 1;
      return true;
    } else if (closers.length === 1 && c === ',') {
      args.push({ text: text.slice(start, i), equals });
      start = i + 1;
      equals = false;
    } else if (closers.length === 1 && c === '=') equals = true;
    return false;
  });
  return end < 0 ? null : { args, end };
}

/**
 * The name a NAME_ARGUMENTS filter written up to `at` is given as its `index`-th positional
 * argument (the parse takes it only when it is a string literal); undefined when there is
 * none, null when a regex cannot tell: a literal with an escape or next to another one, an
 * argument with an `=` that is not a plain keyword, a call called again (`map('a')('b')`).
 */
function nameArgument(text: string, at: number, index: number): string | undefined | null {
  const open = skipSpaces(text, at);
  if (text[open] !== '(') return undefined;
  const call = callArguments(text, open);
  if (call === null || '([.'.includes(text[skipSpaces(text, call.end)] ?? ' ')) return null;
  let positional = 0;
  for (const arg of call.args) {
    if (KEYWORD.test(arg.text)) continue;
    if (arg.equals) return null;
    if (++positional < index) continue;
    if (!STARTS_QUOTED.test(arg.text)) return undefined;
    const plain = PLAIN_STRING.exec(arg.text);
    return plain ? (plain[1] ?? plain[2]!) : null;
  }
  return undefined;
}

/**
 * Every filter name (after each `|`), test name (after each `is` or `is not`) and name
 * passed to a NAME_ARGUMENTS filter that text could use, in no particular order; undefined
 * when a regex cannot bound them: `{% filter %}`, a test name looked up further (`is a['b']`,
 * `is t(1).x`), which the parser joins into the name, or an argument list nameArgument
 * cannot read. An empty list means text names no filter and no test. With `expression`,
 * text is a bare expression (`when:`), as unknownNames takes it.
 */
export function nameCandidates(whole: string, expression = false): NameCandidate[] | undefined {
  // a bare expression is all code; a template's data is skipped when its tags can be found
  const code = expression ? whole : codeOf(whole);
  const text = code ?? whole;
  if (FILTER_WORD.test(text)) return undefined;
  const { bars, tests } = (code !== undefined && operatorsInCode(code)) || operatorsAnywhere(text);
  const found: NameCandidate[] = [];
  for (const bar of bars) {
    const { name, end } = dottedNameAt(text, bar + 1);
    // an empty name is no filter: the parse fails there, and text yields none
    if (name === '') continue;
    found.push({ kind: 'filter', name });
    const bare = name.replace(BUILTIN_PREFIX, '');
    const named = Object.hasOwn(NAME_ARGUMENTS, bare) ? NAME_ARGUMENTS[bare] : undefined;
    if (!named) continue;
    const argument = nameArgument(text, end, named.at);
    if (argument === null) return undefined;
    if (argument !== undefined) found.push({ kind: named.kind, name: argument });
  }
  for (const is of tests) {
    let { name, end } = dottedNameAt(text, is + 2);
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

interface Operators {
  /** where each `|` is */
  bars: number[];
  /** where each `is` token starts */
  tests: number[];
}

/** Every `|` and `is` of text, string literals and data included. */
function operatorsAnywhere(text: string): Operators {
  const bars: number[] = [];
  for (let bar = text.indexOf('|'); bar !== -1; bar = text.indexOf('|', bar + 1)) bars.push(bar);
  return { bars, tests: [...text.matchAll(IS)].map((m) => m.index) };
}

/**
 * The `|` and `is` of code outside its string literals (`'a | b'`, `'this is it'` name
 * nothing); undefined when walkCode cannot follow the code.
 */
function operatorsInCode(code: string): Operators | undefined {
  const found: Operators = { bars: [], tests: [] };
  const stop = walkCode(code, 0, (c, i) => {
    if (c === '|') found.bars.push(i);
    else if (c === 'i') {
      IS_AT.lastIndex = i;
      if (IS_AT.test(code)) found.tests.push(i);
    }
    return false;
  });
  return stop < 0 ? undefined : found;
}
