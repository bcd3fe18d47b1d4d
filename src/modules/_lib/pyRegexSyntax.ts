/**
 * Python's own words for a regular expression that its `re` refuses, at the position it
 * names: "missing ), unterminated subpattern at position 0". Ansible's modules compile
 * patterns with Python's `re`, so this is what their failures say (find's skipped_paths,
 * wait_for's msg, the last line of a module's traceback). JavaScript's RegExp refuses other
 * patterns in other words (it takes `\q` as `q`, Python refuses it), so kelpie checks every
 * pattern with these rules before it compiles one.
 *
 * The rules are those of CPython 3.11's pattern parser (the Python of Debian 12, where
 * Ansible runs): escapes, character sets, repeats, groups and their extensions, inline
 * flags, group references. A pattern that only Python's compiler refuses (a look-behind of
 * variable width) passes here; JavaScript then judges it.
 */

import { inlineFlags, isFlagChar, isIdentifier, len, pyRepr, Refused, Tokens } from './pyRegexLexer.js';
import type { PythonRegexError } from './pyRegexLexer.js';

export type { PythonRegexError } from './pyRegexLexer.js';

const MAXREPEAT = 4294967295;
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const DIGITS = /^[0-9]$/;
const OCT = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]$/;
/** Escapes that stand for a character, in and outside a set. */
const CHAR_ESCAPES = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\']);
/** Escapes outside a set that match a position (they cannot be repeated). */
const AT_ESCAPES = new Set(['A', 'b', 'B', 'Z']);
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

type ItemKind = 'at' | 'repeat' | 'other';

class Parser {
  private groups = 1;
  private readonly closed = new Set<number>();
  private readonly names = new Map<string, number>();
  private lookbehindGroups: number | undefined;
  private readonly conditionalRefs = new Map<number, number>();
  /** `(?x)` at the start: verbose for the rest of the pattern (Python's state flags). */
  private verboseNow = false;

  constructor(
    private readonly src: Tokens,
    private readonly bytes: boolean,
  ) {}

  checkAll(): void {
    this.sub(false, 0);
    if (this.src.next !== undefined) throw this.src.refuse('unbalanced parenthesis');
    for (const [g, pos] of this.conditionalRefs) if (g >= this.groups) throw new Refused(`invalid group reference ${g}`, pos);
  }

  private groupDone(gid: number): boolean {
    return gid < this.groups && this.closed.has(gid);
  }

  private refer(gid: number, offset: number): void {
    if (!this.groupDone(gid)) throw this.src.refuse('cannot refer to an open group', offset);
    if (this.lookbehindGroups !== undefined && gid >= this.lookbehindGroups) throw this.src.refuse('cannot refer to group defined in the same lookbehind subpattern');
  }

  /** a|b|c */
  private sub(verbose: boolean, nested: number): void {
    let first = nested === 0;
    let v = verbose;
    for (;;) {
      v = this.seq(v, nested + 1, first);
      first = false;
      if (!this.src.match('|')) return;
    }
  }

  /** One branch: items until `|`, `)` or the end. Returns the verbose flag (global flags may turn it on). */
  private seq(verboseIn: boolean, nested: number, first: boolean): boolean {
    const src = this.src;
    let verbose = verboseIn;
    let last: ItemKind | undefined;
    let empty = true;
    const add = (k: ItemKind): void => {
      last = k;
      empty = false;
    };
    for (;;) {
      const t = src.next;
      if (t === undefined || t === '|' || t === ')') return verbose;
      src.get();
      if (verbose && WHITESPACE.has(t)) continue;
      if (verbose && t === '#') {
        for (let c = src.get(); c !== undefined && c !== '\n'; c = src.get());
        continue;
      }
      if (t[0] === '\\') add(this.escape(t));
      else if (t === '[') {
        this.set();
        add('other');
      } else if (t === '*' || t === '+' || t === '?' || t === '{') {
        const here = src.tell();
        if (t === '{') {
          if (src.next === '}') {
            add('other');
            continue;
          }
          const lo = src.getWhile(Infinity, DIGITS);
          const hi = src.match(',') ? src.getWhile(Infinity, DIGITS) : lo;
          if (!src.match('}')) {
            src.seek(here);
            add('other');
            continue;
          }
          if ((lo && Number(lo) >= MAXREPEAT) || (hi && Number(hi) >= MAXREPEAT)) throw new Refused('the repetition number is too large', 0, 'OverflowError');
          if (lo && hi && Number(hi) < Number(lo)) throw src.refuse('min repeat greater than max repeat', src.tell() - here);
        }
        if (last === undefined || last === 'at') throw src.refuse('nothing to repeat', src.tell() - here + len(t));
        if (last === 'repeat') throw src.refuse('multiple repeat', src.tell() - here + len(t));
        if (!src.match('?')) src.match('+');
        add('repeat');
      } else if (t === '^' || t === '$') add('at');
      else if (t === '(') {
        const r = this.group(verbose, nested, first && empty);
        if (r === 'global-flags') verbose = this.verboseNow;
        else if (r !== 'none') add('other');
      } else add('other');
    }
  }


  /** After `(`: the group's kind, `none` for a comment, `global-flags` for `(?x)` at the start. */
  private group(verbose: boolean, nested: number, atStart: boolean): 'item' | 'none' | 'global-flags' {
    const src = this.src;
    const start = src.tell() - 1;
    let name: string | undefined;
    let capture = true;
    let subVerbose = verbose;
    if (src.match('?')) {
      const c = src.get();
      if (c === undefined) throw src.refuse('unexpected end of pattern');
      if (c === 'P') {
        if (src.match('<')) {
          name = src.getUntil('>', 'group name');
          this.checkName(name);
        } else if (src.match('=')) {
          const ref = src.getUntil(')', 'group name');
          this.checkName(ref);
          const gid = this.names.get(ref);
          if (gid === undefined) throw src.refuse(`unknown group name ${pyRepr(ref)}`, len(ref) + 1);
          this.refer(gid, len(ref) + 1);
          return 'item';
        } else {
          const d = src.get();
          if (d === undefined) throw src.refuse('unexpected end of pattern');
          throw src.refuse(`unknown extension ?P${d}`, len(d) + 2);
        }
      } else if (c === ':' || c === '>') capture = false;
      else if (c === '#') {
        for (;;) {
          if (src.next === undefined) throw src.refuse('missing ), unterminated comment', src.tell() - start);
          if (src.get() === ')') return 'none';
        }
      } else if (c === '=' || c === '!' || c === '<') {
        const outer = this.lookbehindGroups;
        if (c === '<') {
          const d = src.get();
          if (d === undefined) throw src.refuse('unexpected end of pattern');
          if (d !== '=' && d !== '!') throw src.refuse(`unknown extension ?<${d}`, len(d) + 2);
          if (outer === undefined) this.lookbehindGroups = this.groups;
        }
        this.sub(verbose, nested);
        if (c === '<' && outer === undefined) this.lookbehindGroups = undefined;
        if (!src.match(')')) throw src.refuse('missing ), unterminated subpattern', src.tell() - start);
        return 'item';
      } else if (c === '(') {
        this.conditional(verbose, nested, start);
        return 'item';
      } else if (isFlagChar(c) || c === '-') {
        const flags = inlineFlags(src, c, this.bytes);
        if (flags === 'global' || flags === 'global-verbose') {
          if (!atStart) throw src.refuse('global flags not at the start of the expression', src.tell() - start);
          if (flags === 'global-verbose') this.verboseNow = true;
          return 'global-flags';
        }
        capture = false;
        subVerbose = (verbose || flags.add.has('x')) && !flags.del.has('x');
      } else throw src.refuse(`unknown extension ?${c}`, len(c) + 1);
    }
    let gid: number | undefined;
    if (capture) {
      gid = this.groups++;
      if (name !== undefined) {
        const was = this.names.get(name);
        if (was !== undefined) throw src.refuse(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${was}`, len(name) + 1);
        this.names.set(name, gid);
      }
    }
    this.sub(subVerbose, nested);
    if (!src.match(')')) throw src.refuse('missing ), unterminated subpattern', src.tell() - start);
    if (gid !== undefined) this.closed.add(gid);
    return 'item';
  }

  /** (?(1)yes|no) and (?(name)yes|no) */
  private conditional(verbose: boolean, nested: number, start: number): void {
    const src = this.src;
    const cond = src.getUntil(')', 'group name');
    let gid: number;
    if (isIdentifier(cond)) {
      const g = this.names.get(cond);
      if (g === undefined) throw src.refuse(`unknown group name ${pyRepr(cond)}`, len(cond) + 1);
      gid = g;
    } else {
      if (!/^\s*\+?\d+(?:_\d+)*\s*$/.test(cond)) throw src.refuse(`bad character in group name ${pyRepr(cond)}`, len(cond) + 1);
      gid = Number(cond.replace(/[\s_+]/g, ''));
      if (gid === 0) throw src.refuse('bad group number', len(cond) + 1);
      if (gid >= 1073741823) throw src.refuse(`invalid group reference ${gid}`, len(cond) + 1);
      if (!this.conditionalRefs.has(gid)) this.conditionalRefs.set(gid, src.tell() - len(cond) - 1);
    }
    if (this.lookbehindGroups !== undefined) this.refer(gid, 0);
    this.seq(verbose, nested + 1, false);
    if (src.match('|')) {
      this.seq(verbose, nested + 1, false);
      if (src.next === '|') throw src.refuse('conditional backref with more than two branches');
    }
    if (!src.match(')')) throw src.refuse('missing ), unterminated subpattern', src.tell() - start);
  }

  private checkName(name: string): void {
    if (!isIdentifier(name)) throw this.src.refuse(`bad character in group name ${pyRepr(name)}`, len(name) + 1);
  }

  /** An escape outside a set: what kind of item it makes. */
  private escape(t: string): ItemKind {
    const src = this.src;
    const c = t[1]!;
    if (AT_ESCAPES.has(c)) return 'at';
    if (CLASS_ESCAPES.has(c) || CHAR_ESCAPES.has(c)) return 'other';
    if (this.numericEscape(t, false) !== undefined) return 'other';
    if (DIGITS.test(c)) {
      let esc = t;
      const d1 = src.peek();
      if (d1 !== undefined && DIGITS.test(d1)) {
        src.get();
        esc += d1;
        const d2 = src.peek();
        if (OCT.test(c) && OCT.test(d1) && d2 !== undefined && OCT.test(d2)) {
          src.get();
          esc += d2;
          if (parseInt(esc.slice(1), 8) > 0o377) throw src.refuse(`octal escape value ${esc} outside of range 0-0o377`, len(esc));
          return 'other';
        }
      }
      const gid = Number(esc.slice(1));
      if (gid < this.groups) {
        this.refer(gid, len(esc));
        return 'other';
      }
      throw src.refuse(`invalid group reference ${gid}`, len(esc) - 1);
    }
    if (/^[A-Za-z]$/.test(c)) throw src.refuse(`bad escape ${t}`, len(t));
    return 'other';
  }

  /**
   * \x, \u, \U, \N{…} and the octal escapes (\0 outside a set, any octal digit in one): the
   * code point it stands for (NaN for a \N{name}, whose value kelpie does not look up);
   * undefined for any other escape.
   */
  private numericEscape(t: string, inSet: boolean): number | undefined {
    const src = this.src;
    const c = t[1]!;
    // \u, \U and \N{…} are escapes of text patterns only; a bytes pattern refuses them as unknown
    if (this.bytes && (c === 'u' || c === 'U' || c === 'N')) return undefined;
    const fixed: Record<string, number> = { x: 2, u: 4, U: 8 };
    if (c in fixed) {
      const esc = t + src.getWhile(fixed[c]!, HEX);
      if (len(esc) !== fixed[c]! + 2) throw src.refuse(`incomplete escape ${esc}`, len(esc));
      const value = parseInt(esc.slice(2), 16);
      if (value > 0x10ffff) throw src.refuse(`bad escape ${esc}`, len(esc));
      return value;
    }
    if (c === 'N') {
      if (!src.match('{')) throw src.refuse('missing {');
      src.getUntil('}', 'character name');
      return NaN;
    }
    if (inSet ? OCT.test(c) : c === '0') {
      const esc = t + src.getWhile(2, OCT);
      const value = parseInt(esc.slice(1), 8);
      if (value > 0o377) throw src.refuse(`octal escape value ${esc} outside of range 0-0o377`, len(esc));
      return value;
    }
    return undefined;
  }

  /** After `[`: up to its `]`. */
  private set(): void {
    const src = this.src;
    const here = src.tell() - 1;
    src.match('^');
    let members = 0;
    for (;;) {
      const t = src.get();
      if (t === undefined) throw src.refuse('unterminated character set', src.tell() - here);
      if (t === ']' && members > 0) return;
      const lo = t[0] === '\\' ? this.setEscape(t) : t.codePointAt(0)!;
      if (src.match('-')) {
        const u = src.get();
        if (u === undefined) throw src.refuse('unterminated character set', src.tell() - here);
        if (u === ']') return;
        const hi = u[0] === '\\' ? this.setEscape(u) : u.codePointAt(0)!;
        // a \N{name} bound (NaN) is not checked
        if (lo === undefined || hi === undefined || hi < lo) throw src.refuse(`bad character range ${t}-${u}`, len(t) + 1 + len(u));
      }
      members++;
    }
  }

  /** An escape in a set: its code point, or undefined for a class (\d) that cannot bound a range. */
  private setEscape(t: string): number | undefined {
    const src = this.src;
    const c = t[1]!;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
    if (c in simple) return simple[c];
    if (CLASS_ESCAPES.has(c)) return undefined;
    const value = this.numericEscape(t, true);
    if (value !== undefined) return value;
    if (/^[A-Za-z0-9]$/.test(c)) throw src.refuse(`bad escape ${t}`, len(t));
    return c.codePointAt(0)!;
  }
}

/**
 * Python's error for `pattern`, or undefined when its parser accepts it. `bytes`: the pattern
 * is a bytes pattern in Ansible's module (lineinfile, blockinfile, wait_for encode theirs),
 * given here as one latin1 character per byte; positions count bytes, and the message shows
 * a byte above 0x7f as `\xNN`.
 */
export function pythonRegexError(pattern: string, bytes = false): PythonRegexError | undefined {
  try {
    new Parser(new Tokens(pattern), bytes).checkAll();
    return undefined;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    if (e.exception === 'OverflowError') return { exception: e.exception, message: e.why };
    const why = bytes ? e.why.replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : e.why;
    let message = `${why} at position ${e.pos}`;
    const chars = Array.from(pattern);
    if (chars.includes('\n')) {
      const before = chars.slice(0, e.pos);
      const line = before.filter((c) => c === '\n').length + 1;
      message += ` (line ${line}, column ${e.pos - before.lastIndexOf('\n')})`;
    }
    return { exception: 're.error', message };
  }
}
