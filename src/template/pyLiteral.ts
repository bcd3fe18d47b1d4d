/**
 * INI inventory values are Python literals where they parse as one (Ansible runs
 * ast.literal_eval and keeps the raw string otherwise): `1` → 1, `True` → true,
 * `[1, 2]` → [1, 2], `yes` → 'yes'. A rendered playbook string is read the same way, except
 * that there JSON's `true`, `false` and `null` are names for True, False and None too
 * (Ansible's Json2Python), so `[{{ l | map('to_json') | join(', ') }}]` is a list.
 */

import { pyUnescape } from './stringEscapes.js';

class NotALiteral extends Error {}

export function parsePythonLiteral(text: string, opts: { jsonNames?: boolean } = {}): unknown {
  const src = text.trim();
  if (src === '') return text;
  try {
    const p = new LiteralParser(src, opts.jsonNames ?? false);
    const value = p.value();
    p.skipSpace();
    if (!p.atEnd()) throw new NotALiteral();
    return value;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

class LiteralParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly jsonNames: boolean,
  ) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  value(): unknown {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === undefined) throw new NotALiteral();
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.sequence('(', ')');
    if (c === '{') return this.dict();
    if (c === '"' || c === "'") return this.string();
    const json = this.jsonNames ? /^(?:true|false|null)(?![\w])/.exec(this.s.slice(this.i)) : null;
    if (json) {
      this.i += json[0].length;
      return json[0] === 'null' ? null : json[0] === 'true';
    }
    const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?\.?|True|False|None)/.exec(this.s.slice(this.i));
    if (!m || !m[0]) throw new NotALiteral();
    this.i += m[0].length;
    return literalAtom(m[0]);
  }

  private sequence(open: string, close: string): unknown[] {
    this.i++; // open
    const out: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotALiteral();
    }
    void open;
  }

  private dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value();
      this.skipSpace();
      if (this.s[this.i] !== ':') throw new NotALiteral();
      this.i++;
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotALiteral();
    }
  }

  /** A quoted string, its escapes read as Python reads them (repr() writes \x0b for a control character). */
  private string(): string {
    const q = this.s[this.i]!;
    const start = ++this.i;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === q) {
        const raw = this.s.slice(start, this.i++);
        try {
          return pyUnescape(raw);
        } catch {
          throw new NotALiteral();
        }
      }
      this.i += c === '\\' ? 2 : 1;
    }
    throw new NotALiteral();
  }
}

function literalAtom(tok: string): unknown {
  if (tok === 'True') return true;
  if (tok === 'False') return false;
  if (tok === 'None') return null;
  const t = tok.replace(/_/g, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[oO]/.test(body)) return sign * parseInt(body.slice(2), 8);
  if (/^0[bB]/.test(body)) return sign * parseInt(body.slice(2), 2);
  // Python 3 rejects decimal integers with leading zeros (`042`): they stay strings.
  if (/^0\d+$/.test(body)) throw new NotALiteral();
  const n = Number(body);
  if (!Number.isFinite(n)) throw new NotALiteral();
  return sign * n;
}
