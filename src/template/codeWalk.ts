/**
 * Template code read as kelpie's tokenizer reads it (nunjucks' lexer plus patch.ts and
 * syntax.ts), with plain string scanning instead of the tokenizer itself: where string
 * literals are, where a `{{ }}` or `{% %}` tag ends. For nameScan.ts, which must never read
 * less than the parse would: where these readings could differ from the tokenizer's, they
 * give up (and the caller falls back to reading more).
 */

/** nunjucks' lexer's whitespace, escaped for a character class (JS `\\s` is more). */
export const SPACE = ' \\n\\t\\r\\xA0';
/** nunjucks' lexer's delimChars, escaped for a character class: a name token runs until one of these or whitespace. */
export const DELIMS = '()\\[\\]{}%*\\-+~/#,:|.<>=!';
const SPACE_OR_DELIM = new RegExp(`[${SPACE}${DELIMS}]`);

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
export function walkCode(text: string, from: number, visit: (c: string, i: number) => boolean): number {
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
export function codeOf(text: string): string | undefined {
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
