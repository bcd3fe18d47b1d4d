/**
 * Python `re` semantics on top of JavaScript RegExp.
 *
 * Playbooks carry Python regular expressions (lineinfile, replace, blockinfile...). The
 * syntax mostly overlaps, but anchors and `.` differ subtly: Python's `$` also matches
 * before a final "\n", JS's multiline `^`/`$` also treat "\r" as a line end, and JS's `.`
 * excludes "\r". To get Python's bytes-exact results every anchor and `.` is rewritten
 * into explicit lookarounds, so the compiled RegExp never uses JS's `m` or `s` flags.
 */
import { MODULE_FAILURE, type ResultData } from '../types.js';
import { pythonRegexError, type PythonRegexError } from './pyRegexSyntax.js';

export interface PyRegexOptions {
  /** re.MULTILINE */
  multiline?: boolean;
  /** re.DOTALL */
  dotall?: boolean;
  ignoreCase?: boolean;
  /** Adds the JS `g` flag (for sub/findall). */
  global?: boolean;
  /** Ansible's module compiles the pattern as bytes (see pythonRegexError). */
  bytes?: boolean;
}

export class PyRegexError extends Error {
  /**
   * @param why Python's message when Python refuses the pattern too (`python` is then set),
   *   else JavaScript's reason for a pattern only JavaScript refuses
   */
  constructor(
    readonly pattern: string,
    readonly why: string,
    readonly python?: PythonRegexError,
  ) {
    super(`invalid regular expression '${pattern}': ${why}`);
    this.name = 'PyRegexError';
  }

  /** The last line of the traceback Ansible's module ends with when its `re.compile` raises. */
  get pythonLastLine(): string {
    return this.python ? `${this.python.exception}: ${this.python.message}` : this.message;
  }
}

/** Strips whitespace and `#` comments outside classes (re.VERBOSE). */
function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    if (/\s/.test(c)) continue;
    if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** Translates a Python pattern to JS source plus flags. */
export function translatePyRegex(pattern: string, opts: PyRegexOptions = {}): { source: string; flags: string } {
  let multiline = !!opts.multiline;
  let dotall = !!opts.dotall;
  let ignoreCase = !!opts.ignoreCase;
  let verbose = false;
  let p = pattern;
  // Global inline flags such as (?im) at the start of the pattern.
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(p); m; m = /^\(\?([aiLmsux]+)\)/.exec(p)) {
    const f = m[1]!;
    if (f.includes('i')) ignoreCase = true;
    if (f.includes('m')) multiline = true;
    if (f.includes('s')) dotall = true;
    if (f.includes('x')) verbose = true;
    p = p.slice(m[0].length);
  }
  if (verbose) p = stripVerbose(p);

  const BOS = '(?<![\\s\\S])';
  const EOS = '(?![\\s\\S])';
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new PyRegexError(pattern, 'bad escape (end of pattern)');
      i++;
      classStart = false;
      if (!inClass && n === 'A') out += BOS;
      else if (!inClass && n === 'Z') out += EOS;
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === ']' && classStart) out += '\\]';
      else if (c === ']') {
        inClass = false;
        out += c;
      } else if (c === '[') out += '\\[';
      else out += c;
      classStart = false;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        classStart = true;
        out += c;
        if (p[i + 1] === '^') {
          out += '^';
          i++;
        }
        continue;
      case '.':
        out += dotall ? '[\\s\\S]' : '[^\\n]';
        continue;
      case '^':
        out += multiline ? '(?<![^\\n])' : BOS;
        continue;
      case '$':
        out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
        continue;
      case '(':
        if (p.startsWith('(?P<', i)) {
          out += '(?<';
          i += 3;
          continue;
        }
        if (p.startsWith('(?P=', i)) {
          const end = p.indexOf(')', i);
          if (end < 0) throw new PyRegexError(pattern, 'unterminated (?P=name)');
          out += `\\k<${p.slice(i + 4, end)}>`;
          i = end;
          continue;
        }
        if (/^\(\?[aiLmsux-]+[:)]/.test(p.slice(i))) throw new PyRegexError(pattern, 'inline flags are only supported at the start');
        out += c;
        continue;
      case '{': {
        // Python reads {,n} as {0,n}; JS would take it literally.
        const m = /^\{,(\d+)\}/.exec(p.slice(i));
        if (m) {
          out += `{0,${m[1]}}`;
          i += m[0].length - 1;
          continue;
        }
        out += c;
        continue;
      }
      default:
        out += c;
    }
  }
  if (inClass) throw new PyRegexError(pattern, 'unterminated character set');
  const flags = (ignoreCase ? 'i' : '') + (opts.global ? 'g' : '');
  return { source: out, flags };
}

/**
 * A module whose `re.compile` raises in Ansible (lineinfile, blockinfile, replace) crashes:
 * MODULE FAILURE, rc 1, and a traceback in module_stderr. kelpie runs no Python, so its
 * module_stderr is the traceback's last line alone (docs/deviations.md: python-regex-error).
 */
export function regexModuleFailure(e: PyRegexError): { kind: 'fail'; msg: string; result: ResultData } {
  return { kind: 'fail', msg: MODULE_FAILURE, result: { rc: 1, module_stdout: '', module_stderr: `${e.pythonLastLine}\n` } };
}

export function compilePyRegex(pattern: string, opts: PyRegexOptions = {}): RegExp {
  // Python's verdict first: JavaScript accepts patterns Python refuses (`\q`), and words its refusals otherwise
  const python = pythonRegexError(pattern, opts.bytes);
  if (python) throw new PyRegexError(pattern, python.message, python);
  const { source, flags } = translatePyRegex(pattern, opts);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    // JS words it "Invalid regular expression: /<translated source>/<flags>: why": only the why is the user's
    throw new PyRegexError(pattern, (e as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, ''));
  }
}

type TemplatePart = string | { group: number | string };

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Parses a Python replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`...). */
export function parsePyTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = template[i + 1];
    if (n === undefined) throw new Error('bad escape (end of pattern) in replacement');
    if (n === 'g') {
      const m = /^\\g<([^>]*)>/.exec(template.slice(i));
      if (!m) throw new Error('missing group name in \\g<...>');
      flush();
      const name = m[1]!;
      parts.push({ group: /^\d+$/.test(name) ? parseInt(name, 10) : name });
      i += m[0].length - 1;
    } else if (/\d/.test(n)) {
      // Octal escape (\0, \012) or group reference of up to two digits.
      const oct = /^\\(0[0-7]{0,2}|[0-7]{3})/.exec(template.slice(i));
      if (oct) {
        lit += String.fromCharCode(parseInt(oct[1]!, 8));
        i += oct[0].length - 1;
        continue;
      }
      const m = /^\\(\d\d?)/.exec(template.slice(i))!;
      flush();
      parts.push({ group: parseInt(m[1]!, 10) });
      i += m[0].length - 1;
    } else if (n in SIMPLE_ESCAPES) {
      lit += SIMPLE_ESCAPES[n];
      i++;
    } else if (/[A-Za-z]/.test(n)) {
      throw new Error(`bad escape \\${n} in replacement`);
    } else {
      lit += '\\' + n; // Python keeps unknown non-letter escapes as written
      i++;
    }
  }
  flush();
  return parts;
}

/** match.expand(template): unmatched groups expand to ''. */
export function expandPyTemplate(parts: readonly TemplatePart[], m: RegExpExecArray | RegExpMatchArray): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') s += p;
    else if (typeof p.group === 'number') {
      if (p.group >= m.length) throw new Error(`invalid group reference ${p.group}`);
      s += m[p.group] ?? '';
    } else {
      if (!m.groups || !(p.group in m.groups)) throw new Error(`unknown group name '${p.group}'`);
      s += m.groups[p.group] ?? '';
    }
  }
  return s;
}

/** re.subn(pattern, repl, text): returns the new text and the number of replacements. */
export function pySubn(re: RegExp, repl: string, text: string): [string, number] {
  const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
  const parts = parsePyTemplate(repl);
  let count = 0;
  const out = text.replace(g, (...args: unknown[]) => {
    count++;
    // Rebuild a match array from replace()'s positional arguments.
    const hasGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : undefined;
    const nCaptures = args.length - (hasGroups ? 3 : 2);
    const m = args.slice(0, nCaptures) as string[] & { groups?: Record<string, string | undefined> };
    if (groups) m.groups = groups;
    return expandPyTemplate(parts, m as unknown as RegExpMatchArray);
  });
  return [out, count];
}
