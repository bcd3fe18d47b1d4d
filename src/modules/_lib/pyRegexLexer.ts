/**
 * How Python's re parser reads a pattern (pyRegexSyntax.ts uses it): tokens (a character, or a
 * backslash and the one after it), positions in code points, its refusals with their position,
 * and the inline flags `(?i)`, `(?i-s:…)`.
 */

/** What Python raises: re.error with its message, or OverflowError for a repeat count past its limit. */
export interface PythonRegexError {
  exception: 're.error' | 'OverflowError';
  message: string;
}

const FLAG_CHARS = new Set(['i', 'L', 'm', 's', 'x', 'a', 't', 'u']);
const TYPE_FLAGS = new Set(['a', 'L', 'u']);

export interface InlineFlags {
  add: Set<string>;
  del: Set<string>;
}

export const isFlagChar = (c: string): boolean => FLAG_CHARS.has(c);

export class Refused extends Error {
  constructor(
    readonly why: string,
    readonly pos: number,
    readonly exception: PythonRegexError['exception'] = 're.error',
  ) {
    super(why);
  }
}

/** Python's repr() of a string, as its messages quote names ('x', or "it's"). */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** The pattern as Python reads it: code points, a backslash and the character after it as one token. */
export class Tokens {
  private readonly chars: string[];
  private index = 0;
  next: string | undefined;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
    this.advance();
  }

  private advance(): void {
    const c = this.chars[this.index];
    if (c === undefined) {
      this.next = undefined;
      return;
    }
    if (c === '\\') {
      const n = this.chars[this.index + 1];
      if (n === undefined) throw new Refused('bad escape (end of pattern)', this.chars.length - 1);
      this.next = c + n;
      this.index += 2;
    } else {
      this.next = c;
      this.index += 1;
    }
  }

  /** The next token, read afresh (a property read would stay narrowed by TypeScript across get()). */
  peek(): string | undefined {
    return this.next;
  }

  get(): string | undefined {
    const t = this.next;
    this.advance();
    return t;
  }

  match(t: string): boolean {
    if (this.next !== t) return false;
    this.advance();
    return true;
  }

  tell(): number {
    return this.index - (this.next === undefined ? 0 : len(this.next));
  }

  seek(i: number): void {
    this.index = i;
    this.advance();
  }

  getWhile(n: number, ok: RegExp): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === undefined || !ok.test(c)) break;
      s += c;
      this.advance();
    }
    return s;
  }

  getUntil(terminator: string, what: string): string {
    let s = '';
    for (;;) {
      const c = this.get();
      if (c === undefined) throw s ? this.refuse(`missing ${terminator}, unterminated name`, len(s)) : this.refuse(`missing ${what}`);
      if (c === terminator) {
        if (!s) throw this.refuse(`missing ${what}`, 1);
        return s;
      }
      s += c;
    }
  }

  refuse(why: string, offset = 0): Refused {
    return new Refused(why, this.tell() - offset);
  }
}

/** Length in code points, as Python counts positions. */
export function len(s: string): number {
  return Array.from(s).length;
}

export function isIdentifier(s: string): boolean {
  return /^[\p{ID_Start}_]\p{ID_Continue}*$/u.test(s);
}

/**
 * Inline flags after `(?`: 'global' for `(?aimsux)` at the start (with x: verbose from there
 * on), else the ones `(?i-m:…)` turns on and off for its group.
 */
export function inlineFlags(src: Tokens, first: string, bytes: boolean): 'global' | 'global-verbose' | InlineFlags {
  const add = new Set<string>();
  const del = new Set<string>();
  let c: string | undefined = first;
  if (c !== '-') {
    for (;;) {
      if (c === (bytes ? 'u' : 'L')) throw src.refuse(bytes ? "bad inline flags: cannot use 'u' flag with a bytes pattern" : "bad inline flags: cannot use 'L' flag with a str pattern");
      add.add(c);
      if (TYPE_FLAGS.has(c) && [...add].filter((f) => TYPE_FLAGS.has(f)).length > 1) throw src.refuse("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      c = src.get();
      if (c === undefined) throw src.refuse('missing -, : or )');
      if (c === ')' || c === '-' || c === ':') break;
      if (!FLAG_CHARS.has(c)) throw src.refuse(/^\p{L}$/u.test(c) ? 'unknown flag' : 'missing -, : or )', len(c));
    }
  }
  if (c === ')') return add.has('x') ? 'global-verbose' : 'global';
  if (add.has('t')) throw src.refuse('bad inline flags: cannot turn on global flag', 1);
  if (c === '-') {
    c = src.get();
    if (c === undefined) throw src.refuse('missing flag');
    if (!FLAG_CHARS.has(c)) throw src.refuse(/^\p{L}$/u.test(c) ? 'unknown flag' : 'missing flag', len(c));
    for (;;) {
      if (TYPE_FLAGS.has(c)) throw src.refuse("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del.add(c);
      c = src.get();
      if (c === undefined) throw src.refuse('missing :');
      if (c === ':') break;
      if (!FLAG_CHARS.has(c)) throw src.refuse(/^\p{L}$/u.test(c) ? 'unknown flag' : 'missing :', len(c));
    }
  }
  if (del.has('t')) throw src.refuse('bad inline flags: cannot turn off global flag', 1);
  if ([...add].some((f) => del.has(f))) throw src.refuse('bad inline flags: flag turned on and off', 1);
  return { add, del };
}
