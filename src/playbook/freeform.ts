/**
 * Ansible's `k=v k2="a b" rest words` argument strings. Quotes and Jinja blocks
 * (`{{ x | default('a b') }}`) never split a word; text that is not a k=v pair stays
 * verbatim (quotes, newlines and spacing kept) because it usually goes to a shell.
 */

export interface Token {
  raw: string;
  start: number; // offset in the text
  end: number;
}

const OPENERS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/** Splits on whitespace outside quotes and Jinja blocks. */
export function splitWords(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let quote = '';
  const jinja: string[] = []; // expected closers
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (start < 0) {
      if (/\s/.test(c)) continue;
      start = i;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    const closer = OPENERS[two];
    if (closer) {
      jinja.push(closer);
      i++;
      continue;
    }
    if (jinja.length) {
      if (two === jinja[jinja.length - 1]) {
        jinja.pop();
        i++;
      } else if (c === '"' || c === "'") quote = c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (/\s/.test(c)) {
      tokens.push({ raw: text.slice(start, i), start, end: i });
      start = -1;
    }
  }
  if (start >= 0) tokens.push({ raw: text.slice(start), start, end: text.length });
  return tokens;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner;
  }
  return v;
}

// A name, or a name built by a template (`set_fact: "{{ item }}=moo"`), rendered when the task runs.
const KEY = /^([A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9_]*\{\{[^}]*\}\}[A-Za-z0-9_]*)=/;

export interface FreeForm {
  params: Record<string, string>;
  rest: string;
  /** Offset in the text of each param's key, for error positions. */
  offsets: Record<string, number>;
}

/**
 * `only`: when given, only these keys are taken as parameters and every other `k=v`
 * word stays in `rest` (command/shell: `echo a=b chdir=/tmp` keeps `a=b` in the command).
 */
export function parseFreeForm(text: string, opts: { only?: ReadonlySet<string> } = {}): FreeForm {
  const params: Record<string, string> = {};
  const offsets: Record<string, number> = {};
  let rest = '';
  let prevEnd = -1;
  let keptEnd = -1;
  for (const t of splitWords(text)) {
    const m = KEY.exec(t.raw);
    const key = m?.[1];
    if (key !== undefined && (!opts.only || opts.only.has(key))) {
      params[key] = unquote(t.raw.slice(key.length + 1));
      offsets[key] = t.start;
    } else {
      // Keep the original separator (spaces, newlines) before each kept word.
      rest += rest === '' ? t.raw : text.slice(prevEnd, t.start) + t.raw;
      keptEnd = t.end;
    }
    prevEnd = t.end;
  }
  // what follows the last kept word too (a `shell: |` text's final newline)
  if (keptEnd >= 0 && keptEnd === prevEnd) rest += text.slice(prevEnd);
  return { params, rest, offsets };
}
