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
 * word there that is not a known name only costs a parse. The name given to `map('upper')`
 * and its kin is read from the call's arguments, strings and brackets followed as the
 * tokenizer follows them; anything unusual there is left to the parse.
 */

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
const SPACE_OR_DELIM = new RegExp(`[${SPACE}${DELIMS}]`);
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Where the string literal starting at `i` (a quote) ends, literals next to it included (the
 * tokenizer joins them across any JS whitespace, syntax.ts); -1 when it never closes.
 */
function stringEnd(text: string, i: number): number {
  for (let quote = i; ; ) {
    let j = quote + 1;
    // nunjucks reads a string to the next unescaped quote of its kind
    for (; j < text.length && text[j] !== text[quote]; j++) if (text[j] === '\\') j++;
    if (j >= text.length) return -1;
    let next = j + 1;
    while (next < text.length && /\s/.test(text[next]!)) next++;
    if (text[next] !== '"' && text[next] !== "'") return j + 1;
    quote = next;
  }
}

/**
 * Walks code from `from` as the tokenizer cuts it, showing `visit` each character outside
 * string literals, until visit returns true: returns where it stopped, text.length at the
 * end (an unclosed literal runs to it), or -1 where a regex cannot follow the tokenizer: a
 * regex literal `r/…/`, a quote or `r/` right after a digit (where the tokenizer may start
 * a new token). A quote after any other name character is part of that name (`a'b` is one
 * token), as in nunjucks' lexer.
 */
function walkCode(text: string, from: number, visit: (c: string, i: number) => boolean): number {
  let boundary = true;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    const startsToken = c === '"' || c === "'" || (c === 'r' && text[i + 1] === '/');
    if (startsToken && /[0-9]/.test(text[i - 1] ?? '')) return -1;
    if (startsToken && boundary) {
      if (c === 'r') return -1;
      const end = stringEnd(text, i);
      if (end < 0) return text.length;
      i = end - 1; // a token ends at the closing quote: `boundary` stays true
      continue;
    }
    boundary = SPACE_OR_DELIM.test(c);
    if (visit(c, i)) return i;
  }
  return text.length;
}

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
 * Where the tag whose code starts at `from` ends, after its `}}` or `%}` (as kelpie's
 * tokenizer reads `}}` inside an open `{` as that brace's end, balanceBraces in patch.ts);
 * text.length when it never does, -1 when walkCode cannot follow it.
 */
function tagEnd(text: string, from: number): number {
  let braces = 0;
  let end = text.length;
  const stop = walkCode(text, from, (c, i) => {
    const closes = (c === '%' && text[i + 1] === '}') || (c === '}' && text[i + 1] === '}' && braces === 0);
    if (closes) end = i + 2;
    else if (c === '{') braces++;
    else if (c === '}') braces = Math.max(0, braces - 1);
    return closes;
  });
  return stop < 0 ? -1 : end;
}

const TAG_START = /\{[{%]/g;

/**
 * A template's code: its `{{ … }}` and `{% … %}` tags, joined, without the data between them
 * (shell scripts, prose), where no filter or test is named; undefined when the tags cannot
 * be found as the tokenizer finds them: a comment (`{#` hides tags), a raw or verbatim
 * block (its text is data), or code walkCode cannot follow.
 */
function codeOf(text: string): string | undefined {
  if (text.includes('{#') || /raw|verbatim/.test(text)) return undefined;
  let code = '';
  TAG_START.lastIndex = 0;
  for (let tag = TAG_START.exec(text); tag; tag = TAG_START.exec(text)) {
    const end = tagEnd(text, tag.index + 2);
    if (end < 0) return undefined;
    code += text.slice(tag.index, end);
    TAG_START.lastIndex = end;
  }
  return code;
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
  const text = expression ? whole : (codeOf(whole) ?? whole);
  if (FILTER_WORD.test(text)) return undefined;
  const found: NameCandidate[] = [];
  for (let bar = text.indexOf('|'); bar !== -1; bar = text.indexOf('|', bar + 1)) {
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
