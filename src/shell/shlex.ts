/** Python's `shlex.split` (POSIX mode), which Ansible uses for free-form commands and ssh arguments. */

export interface Token {
  /** The word after quote removal. */
  value: string;
  /** Offsets of the word in the original text (quotes included). */
  start: number;
  end: number;
}

/** shlex.split(posix=True) with positions. Throws on an unclosed quote, like Python. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let value = '';
    while (i < n && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) throw new Error('No closing quotation');
        value += text.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new Error('No closing quotation');
          const d = text[i]!;
          if (d === '"') {
            i++;
            break;
          }
          // Inside double quotes a backslash escapes only `"` and `\` (shlex's escapedquotes).
          if (d === '\\' && i + 1 < n && (text[i + 1] === '"' || text[i + 1] === '\\')) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          value += d;
          i++;
        }
      } else if (c === '\\') {
        if (i + 1 >= n) throw new Error('No escaped character');
        value += text[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    out.push({ value, start, end: i });
  }
  return out;
}

export function splitWords(text: string): string[] {
  return tokenize(text).map((t) => t.value);
}
