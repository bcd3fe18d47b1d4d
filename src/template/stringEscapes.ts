/**
 * Jinja's string literals unescape as Python's `unicode-escape` codec does: `\n`, `\t`, `\\`,
 * `\x41`, `\u00e9`, `\U0001F600`, octal `\101`, a backslash before a newline joins the lines,
 * and an unknown escape keeps its backslash (`'\s'` stays `\s`, so regexes written in
 * templates work). installed on kelpie's tokenizer by patch.ts.
 */
import type { NunjucksInternals, TokenizerProto, TokenizerState } from './nunjucksTypes.js';

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
/** Hex escapes: their letter, digit count and Python's word when they are cut short. */
const HEX: Record<string, [number, string]> = { x: [2, 'truncated \\xXX escape'], u: [4, 'truncated \\uXXXX escape'], U: [8, 'truncated \\UXXXXXXXX escape'] };

/** The text of a literal between its quotes, unescaped; throws Python's words for a bad escape. */
export function pyUnescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[++i]!;
    const hex = HEX[e];
    if (SIMPLE[e] !== undefined) out += SIMPLE[e];
    else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(raw.slice(i))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (hex) {
      const digits = raw.slice(i + 1, i + 1 + hex[0]);
      if (!new RegExp(`^[0-9a-fA-F]{${hex[0]}}$`).test(digits)) throw new Error(hex[1]);
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) throw new Error('illegal Unicode character');
      out += String.fromCodePoint(code);
      i += hex[0];
    } else out += '\\' + e;
  }
  return out;
}

/** nunjucks' tokenizer reads a literal's raw text (to its unescaped closing quote), then pyUnescape. */
export function pythonStringEscapes(nj: NunjucksInternals): void {
  const proto = Object.getPrototypeOf(nj.lexer.lex('', {})) as TokenizerProto;
  proto._parseString = function (this: TokenizerState, delimiter: string): string {
    this.forward();
    let raw = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      if (this.current() === '\\') {
        raw += '\\';
        this.forward();
      }
      raw += this.current();
      this.forward();
    }
    this.forward();
    return pyUnescape(raw);
  };
}
