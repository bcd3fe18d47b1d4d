/**
 * Python's json.loads error message for text JSON.parse refused. Ansible's from_json is json.loads,
 * so a playbook author sees "Expecting value: line 1 column 1 (char 0)", not V8's wording. This
 * walks the text the way CPython 3.11's C scanner (Modules/_json.c) does and reports where and why
 * it stops; positions count code points, as Python's str indexes do.
 */

class Stop extends Error {
  constructor(readonly why: string, readonly at: number) {
    super(why);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

class Scanner {
  constructor(private readonly s: string[]) {}

  skipSpace(i: number): number {
    while (i < this.s.length && WHITESPACE.has(this.s[i]!)) i++;
    return i;
  }

  private word(i: number, w: string): boolean {
    return this.s.slice(i, i + w.length).join('') === w;
  }

  /** One value starting at i (no leading whitespace): the index after it. */
  value(i: number): number {
    const c = this.s[i];
    if (c === '"') return this.string(i);
    if (c === '{') return this.object(i + 1);
    if (c === '[') return this.array(i + 1);
    for (const w of ['null', 'true', 'false', 'NaN', 'Infinity', '-Infinity']) if (this.word(i, w)) return i + w.length;
    return this.number(i);
  }

  private number(start: number): number {
    let i = start;
    if (this.s[i] === '-') i++;
    if (this.s[i] === '0') i++;
    else if (isDigit(this.s[i]) && this.s[i] !== '0') while (isDigit(this.s[i])) i++;
    else throw new Stop('Expecting value', start);
    if (this.s[i] === '.' && isDigit(this.s[i + 1])) for (i++; isDigit(this.s[i]); ) i++;
    if (this.s[i] === 'e' || this.s[i] === 'E') {
      let j = i + 1;
      if (this.s[j] === '+' || this.s[j] === '-') j++;
      if (isDigit(this.s[j])) for (i = j; isDigit(this.s[i]); ) i++;
    }
    return i;
  }

  private string(begin: number): number {
    const s = this.s;
    let i = begin + 1;
    for (;;) {
      while (i < s.length && s[i] !== '"' && s[i] !== '\\') {
        if (s[i]!.codePointAt(0)! <= 0x1f) throw new Stop('Invalid control character at', i);
        i++;
      }
      if (i >= s.length || (s[i] === '\\' && i + 1 >= s.length)) throw new Stop('Unterminated string starting at', begin);
      if (s[i] === '"') return i + 1;
      const esc = s[i + 1]!;
      if (esc !== 'u') {
        if (!SIMPLE_ESCAPES.has(esc)) throw new Stop('Invalid \\escape', i);
        i += 2;
        continue;
      }
      i = this.unicodeEscape(i + 1);
    }
  }

  /** `\uXXXX` with u at index u (and a following low surrogate escape): the index after it. */
  private unicodeEscape(u: number): number {
    const s = this.s;
    const end = u + 5;
    if (end >= s.length) throw new Stop('Invalid \\uXXXX escape', u);
    const hex = s.slice(u + 1, end);
    if (!hex.every(isHex)) throw new Stop('Invalid \\uXXXX escape', u);
    const code = parseInt(hex.join(''), 16);
    // the C scanner checks the second half of a surrogate pair together with the first
    if (code >= 0xd800 && code <= 0xdbff && end + 6 < s.length && s[end] === '\\' && s[end + 1] === 'u') {
      if (!s.slice(end + 2, end + 6).every(isHex)) throw new Stop('Invalid \\uXXXX escape', end + 1);
    }
    return end;
  }

  private object(i: number): number {
    i = this.skipSpace(i);
    if (this.s[i] === '}') return i + 1;
    for (;;) {
      if (this.s[i] !== '"') throw new Stop('Expecting property name enclosed in double quotes', i);
      i = this.skipSpace(this.string(i));
      if (this.s[i] !== ':') throw new Stop("Expecting ':' delimiter", i);
      i = this.skipSpace(this.value(this.skipSpace(i + 1)));
      if (this.s[i] === '}') return i + 1;
      if (this.s[i] !== ',') throw new Stop("Expecting ',' delimiter", i);
      i = this.skipSpace(i + 1);
    }
  }

  private array(i: number): number {
    i = this.skipSpace(i);
    if (this.s[i] === ']') return i + 1;
    for (;;) {
      i = this.skipSpace(this.value(i));
      if (this.s[i] === ']') return i + 1;
      if (this.s[i] !== ',') throw new Stop("Expecting ',' delimiter", i);
      i = this.skipSpace(i + 1);
    }
  }
}

/** Python's `msg: line L column C (char N)`, counting only `\n` as a line break, as json does. */
function located(chars: string[], why: string, at: number): string {
  const before = chars.slice(0, at);
  const line = before.filter((c) => c === '\n').length + 1;
  const col = at - before.lastIndexOf('\n');
  return `${why}: line ${line} column ${col} (char ${at})`;
}

/** json.loads' message for `text`, or undefined when Python would accept it (NaN, Infinity). */
export function pyJsonLoadsError(text: string): string | undefined {
  const chars = Array.from(text);
  if (chars[0] === '\ufeff') return located(chars, 'Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const scanner = new Scanner(chars);
  try {
    const end = scanner.skipSpace(scanner.value(scanner.skipSpace(0)));
    return end === chars.length ? undefined : located(chars, 'Extra data', end);
  } catch (e) {
    if (e instanceof Stop) return located(chars, e.why, e.at);
    throw e;
  }
}
