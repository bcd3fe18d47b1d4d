/**
 * Ansible doubles the backslashes of the string literals inside `{{ … }}` of a playbook
 * string before Jinja reads it (Templar's escape_backslashes, on for every playbook string
 * and variable, off for template files), so that a backslash is written once, inside the
 * braces as outside: `regex_replace('(\d+)', '<\1>')` works as written, and `x.split('\n')`
 * splits on a backslash and an `n`, not on a newline.
 * Strings in `{% … %}` tags, comments and raw blocks are left alone, as there.
 */

/** A Jinja string literal, as its lexer matches one. */
const STRING = /'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*"/sy;
const TAG = /\{\{|\{%|\{#/g;
const RAW_BEGIN = /\{%[-+]?\s*raw\s*[-+]?%\}/y;
const RAW_END = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Scans the code of a tag from `from` to its end (`}}` or `%}` with no bracket open), doubling
 * backslashes in its strings when `escape`. Returns the text and where the tag ends, or
 * undefined when the tag never ends or is malformed (Jinja then reports the error itself).
 */
function scanTag(text: string, from: number, end: string, escape: boolean): { out: string; next: number } | undefined {
  const open: string[] = [];
  let out = '';
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (open.length === 0 && text.startsWith(end, i)) return { out: out + end, next: i + end.length };
    if (c === "'" || c === '"') {
      STRING.lastIndex = i;
      const m = STRING.exec(text);
      if (!m) return undefined;
      out += escape ? m[0].replace(/\\/g, '\\\\') : m[0];
      i += m[0].length;
      continue;
    }
    if (CLOSER[c]) open.push(CLOSER[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (open.pop() !== c) return undefined;
    }
    out += c;
    i++;
  }
  return undefined;
}

/** text with the backslashes of the string literals in its `{{ }}` doubled, as Ansible hands it to Jinja. */
export function escapeBackslashes(text: string): string {
  if (!text.includes('\\') || !text.includes('{{')) return text;
  let out = '';
  let i = 0;
  for (;;) {
    TAG.lastIndex = i;
    const m = TAG.exec(text);
    if (!m) return out + text.slice(i);
    out += text.slice(i, m.index);
    i = m.index;
    RAW_BEGIN.lastIndex = i;
    let skipTo: number;
    if (RAW_BEGIN.test(text)) {
      RAW_END.lastIndex = RAW_BEGIN.lastIndex;
      const e = RAW_END.exec(text);
      if (!e) return text;
      skipTo = e.index + e[0].length;
    } else if (m[0] === '{#') {
      const e = text.indexOf('#}', i + 2);
      if (e < 0) return text;
      skipTo = e + 2;
    } else {
      const tag = scanTag(text, i + 2, m[0] === '{{' ? '}}' : '%}', m[0] === '{{');
      if (!tag) return text;
      out += m[0] + tag.out;
      i = tag.next;
      continue;
    }
    out += text.slice(i, skipTo);
    i = skipTo;
  }
}
