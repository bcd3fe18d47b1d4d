/**
 * The Templar: renders playbook strings, task args, conditionals and template files with
 * Ansible/Jinja2 semantics on top of nunjucks. Each distinct template text compiles once
 * per environment and is reused for every host.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { KelpieError, TemplateError, type SourceLocation } from '../errors.js';
import { KelpieEnvironment, compileKelpie, compileTemplate, type CompiledTemplate } from './engine.js';
import { parsePythonLiteral } from './pyLiteral.js';
import { escapeBackslashes } from './backslashes.js';
import { NativeText, PyFloat, pyStr, truthy } from './pyvalue.js';
import { SCOPE_KEY, Scope, UnsafeText, isTemplate, materialize } from './scope.js';
import { LenientUndef, Undef, ansibleUndefinedText, undefinedCause } from './undefined.js';
import { registerFilters } from './filters/index.js';
import { registerGlobals } from './globals.js';
import { registerTests } from './tests.js';
import { registerLookups } from './lookups.js';
import { refuseTopLevelInlineIf } from './conditionSyntax.js';

export interface TemplateOptions {
  /** Directory for relative paths in lookup('file'/'template'). Default: process.cwd(). */
  baseDir?: string;
  /** Extra directories searched after baseDir (e.g. role files/ and templates/). */
  searchPaths?: string[];
}

/**
 * Whitespace handling for renderString. Ansible's default (template module and playbook
 * strings alike) is trimBlocks: true, lstripBlocks: false; kelpie uses the same default.
 */
export interface RenderOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** Where `{% include %}`, `{% import %}` and `{% extends %}` look (template files). Default: baseDir, searchPaths. */
  includeDirs?: readonly string[];
}

/** Finds included templates in the directories of the render in progress, compiled by kelpie. */
class IncludeLoader {
  env: nunjucks.Environment | undefined;
  constructor(public dirs: readonly string[]) {}
  getSource(name: string): { src: CompiledTemplate; path: string; noCache: boolean } | null {
    for (const d of this.dirs) {
      const path = resolve(d, name);
      // read as Jinja reads a template: `\n` line ends, the last newline dropped
      if (existsSync(path) && statSync(path).isFile()) return { src: compileKelpie(readFileSync(path, 'utf8').replace(/\r\n?/g, '\n').replace(/\n$/, ''), this.env!, path), path, noCache: true };
    }
    return null;
  }
}

const CAPTURE = '__kelpie_capture__';
/** Ansible's SINGLE_VAR: the whole string is `{{ name }}`. */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
/** Ansible's words when a condition would evaluate host data (or an `!unsafe` string) as an expression. */
const UNSAFE_CONDITIONAL = 'Conditional is marked as unsafe, and cannot be evaluated.';
const BOX_KEY = '__kelpie_box__';
const MAX_CACHE = 20000;

interface CaptureBox {
  value: unknown;
  set: boolean;
}

function trailingNewlines(s: string): number {
  return s.length - s.replace(/\n+$/, '').length;
}

/** `{{ expr }}` alone → the expression text. */
export function singleExpression(text: string): string | undefined {
  // exactly one expression and nothing around it: `"{{ x }}\n"` is text, as in Ansible
  const m = /^\{\{-?([\s\S]*?)-?\}\}$/.exec(text);
  if (!m) return undefined;
  const inner = m[1]!;
  // The expression must not close early: scan outside string literals, balancing braces
  // (`{{ {'a': {'b': 1}} }}` is one expression, `{{ a }} {{ b }}` is two).
  let depth = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') {
      if (depth === 0 && inner[i + 1] === '{') return undefined;
      if (depth === 0 && (inner[i + 1] === '%' || inner[i + 1] === '#')) return undefined;
      depth++;
    } else if (c === '}') {
      if (depth === 0) return undefined;
      depth--;
    }
  }
  return depth === 0 && !quote ? inner : undefined;
}

export class Templar {
  readonly baseDir: string;
  readonly searchPaths: string[];
  private readonly envs = new Map<string, nunjucks.Environment>();
  private readonly loaders = new Map<nunjucks.Environment, IncludeLoader>();
  private readonly compiled = new Map<string, nunjucks.Template>();

  constructor(opts: TemplateOptions = {}) {
    this.baseDir = opts.baseDir ?? process.cwd();
    this.searchPaths = opts.searchPaths ?? [];
  }

  /** A value from a host (boxed UnsafeText) comes back as its text, never rendered. */
  render(text: string | UnsafeText, vars: Record<string, unknown>, loc?: SourceLocation): unknown {
    if (text instanceof UnsafeText) return text.text;
    if (typeof text !== 'string' || !isTemplate(text)) return text;
    return this.guard(loc, text, () => materialize(this.renderNative(text, this.scope(vars))));
  }

  renderString(text: string, vars: Record<string, unknown>, loc?: SourceLocation, opts: RenderOptions = {}): string {
    if (!isTemplate(text)) return text;
    return this.guard(loc, text, () => this.renderText(text, this.scope(vars), opts));
  }

  /**
   * Renders every string inside value, not the keys of its dicts (Ansible's Templar leaves
   * them as written) unless `templateNames`: then value's own keys are templated too, as
   * set_fact does with the names it sets. onUnsafe hears which top-level key (undefined when
   * value is not a dict) rendered host data, so that whoever stores the result (set_fact,
   * a loop's items) keeps it marked.
   */
  renderDeep<T>(value: T, vars: Record<string, unknown>, loc?: SourceLocation, onUnsafe?: (key: string | undefined) => void, templateNames = false): unknown {
    let scope: Scope | undefined;
    let top: string | undefined;
    const walk = (v: unknown): unknown => {
      if (v instanceof UnsafeText) {
        onUnsafe?.(top);
        return v.text;
      }
      if (typeof v === 'string') {
        if (!isTemplate(v)) return v;
        scope ??= this.scope(vars);
        const s = scope;
        s.tainted = false;
        s.nextRender();
        const out = this.guard(loc, v, () => materialize(this.renderNative(v, s)));
        if (s.tainted) onUnsafe?.(top);
        return out;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
        const out: Record<string, unknown> = {};
        const outer = v === value;
        for (const [k, x] of Object.entries(v)) {
          const key = outer && templateNames && isTemplate(k) ? pyStr(walk(k)) : k;
          if (outer) top = key;
          out[key] = walk(x);
        }
        return out;
      }
      return v;
    };
    return walk(value);
  }

  evaluate(expr: string, vars: Record<string, unknown>, loc?: SourceLocation): unknown {
    return this.guard(loc, expr, () => materialize(this.evalIn(expr, this.scope(vars))));
  }

  evaluateConditional(cond: unknown, vars: Record<string, unknown>, loc?: SourceLocation): boolean {
    if (cond === undefined || cond === null) return true;
    if (typeof cond === 'boolean') return cond;
    if (typeof cond === 'number') return cond !== 0;
    if (Array.isArray(cond)) return cond.every((c) => this.evaluateConditional(c, vars, loc));
    if (cond instanceof UnsafeText) throw new TemplateError(UNSAFE_CONDITIONAL, loc ? { loc } : {});
    if (typeof cond !== 'string') throw new TemplateError(`conditional must be a string, boolean or list, got ${typeof cond}`, loc ? { loc } : {});
    const text = cond.trim();
    if (text === '') return true;
    return this.guardConditional(loc, text, () => {
      const scope = this.scope(vars);
      // `when: "{{ x }}"` is accepted like Ansible does (with a warning there).
      const inner = singleExpression(text);
      if (!isTemplate(text)) refuseTopLevelInlineIf(text, text, loc);
      let v = inner !== undefined ? this.evalIn(inner, scope) : isTemplate(text) ? this.renderText(text, scope, {}) : this.evalIn(text, scope);
      // Host data rendered into a conditional would be evaluated as an expression next:
      // refused, with Ansible's words. An empty string is plain false, as there.
      if (typeof v === 'string' && v !== '' && isTemplate(text) && scope.tainted) throw new TemplateError(UNSAFE_CONDITIONAL);
      if (typeof v === 'string' && inner === undefined && isTemplate(text)) {
        refuseTopLevelInlineIf(text, v, loc);
        v = this.evalIn(v, scope);
      }
      return truthy(v);
    });
  }

  // --- internals -------------------------------------------------------------------

  private scope(vars: Record<string, unknown>): Scope {
    return new Scope(vars, (text, scope) => this.renderNative(text, scope));
  }

  /**
   * A playbook string's value, as Ansible's Templar.template (convert_data, jinja2_native
   * off) gives it: `"{{ name }}"` naming a variable that holds a number, a boolean or None
   * is that value; anything else renders to text (a lone None prints as ''), and text that
   * reads as a Python list/dict literal or True/False becomes that value. So `"{{ 1 + 1 }}"`
   * is the string '2' and `"{{ [1, 2] }}"` the list [1, 2]. Backslashes in its `{{ }}` strings are doubled first (backslashes.ts).
   */
  renderNative(source: string, scope: Scope): unknown {
    const text = escapeBackslashes(source);
    const name = SINGLE_VAR.exec(text)?.[1];
    if (name !== undefined) {
      const { found, value } = scope.raw(name);
      if (found && (value === null || typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat)) return value;
    }
    const expr = singleExpression(text);
    let out: string;
    if (expr === undefined) out = this.renderText(text, scope, {});
    else {
      const v = this.evalIn(expr, scope);
      // `default()` and `is defined` of a lazy variable look at it; a lenient one prints ''
      if (v instanceof Undef && !(v instanceof LenientUndef)) return v;
      if (v instanceof NativeText) return v.val;
      out = v === null || v === undefined ? '' : pyStr(v);
    }
    if (out === 'True') return true;
    if (out === 'False') return false;
    if (out.startsWith('[') || out.startsWith('{')) return parsePythonLiteral(out, { jsonNames: true });
    return out;
  }

  /**
   * Jinja reads a template with its line ends made `\n` and without its last newline;
   * Ansible then adds back trailing newlines the output lacks (preserve_trailing_newlines).
   */
  private renderText(text: string, scope: Scope, opts: RenderOptions): string {
    const source = text.replace(/\r\n?/g, '\n');
    const wanted = trailingNewlines(source);
    const tmpl = this.compile(wanted > 0 ? source.slice(0, -1) : source, opts);
    const out = this.renderWithIncludes(tmpl, scope, opts);
    const have = trailingNewlines(out);
    return wanted > have ? out + '\n'.repeat(wanted - have) : out;
  }

  private renderWithIncludes(tmpl: nunjucks.Template, scope: Scope, opts: RenderOptions): string {
    if (!opts.includeDirs) return tmpl.render({ [SCOPE_KEY]: scope });
    // Rendering is synchronous: the loader serves this render's directories until it ends.
    const loader = this.loaders.get(this.env(opts))!;
    const before = loader.dirs;
    loader.dirs = opts.includeDirs;
    try {
      return tmpl.render({ [SCOPE_KEY]: scope });
    } finally {
      loader.dirs = before;
    }
  }

  private evalIn(expr: string, scope: Scope): unknown {
    let tmpl: nunjucks.Template;
    try {
      tmpl = this.compile(`{{ ${CAPTURE}((${expr}\n)) }}`, {});
    } catch (e) {
      // a syntax error is told as Jinja finds it in `{{ expr }}`, not inside kelpie's wrapper
      this.compile(`{{ ${expr} }}`, {});
      throw e;
    }
    const box: CaptureBox = { value: undefined, set: false };
    tmpl.render({ [SCOPE_KEY]: scope, [BOX_KEY]: box });
    return box.value;
  }

  private env(opts: RenderOptions): nunjucks.Environment {
    const trim = opts.trimBlocks ?? true;
    const lstrip = opts.lstripBlocks ?? false;
    const key = `${trim}:${lstrip}`;
    let env = this.envs.get(key);
    if (!env) {
      // dev: keep the original error as the cause (otherwise nunjucks flattens it to a message).
      const loader = new IncludeLoader([this.baseDir, ...this.searchPaths]);
      env = new KelpieEnvironment([loader as unknown as nunjucks.ILoader], { dev: true, autoescape: false, throwOnUndefined: false, trimBlocks: trim, lstripBlocks: lstrip });
      env.addGlobal(CAPTURE, function (this: { ctx: Record<string, unknown> }, v: unknown) {
        const box = this.ctx[BOX_KEY] as CaptureBox;
        box.value = v;
        box.set = true;
        return '';
      });
      registerGlobals(env);
      loader.env = env;
      registerFilters(env);
      registerTests(env);
      registerLookups(env, this);
      this.envs.set(key, env);
      this.loaders.set(env, loader);
    }
    return env;
  }

  private compile(text: string, opts: RenderOptions): nunjucks.Template {
    const key = `${opts.trimBlocks ?? true}:${opts.lstripBlocks ?? false}:${text}`;
    let t = this.compiled.get(key);
    if (!t) {
      if (this.compiled.size >= MAX_CACHE) this.compiled.clear();
      t = compileTemplate(text, this.env(opts));
      this.compiled.set(key, t);
    }
    return t;
  }

  /** Runs fn, turning any failure into a TemplateError at loc that names the template. */
  /** A conditional's undefined variable fails in Ansible's words, which name the conditional. */
  private guardConditional(loc: SourceLocation | undefined, text: string, fn: () => boolean): boolean {
    try {
      return this.guard(loc, text, fn);
    } catch (e) {
      const undef = undefinedCause(e);
      if (!undef) throw e;
      const where = e instanceof KelpieError ? (e.loc ?? loc) : loc;
      const message = `The conditional check '${text}' failed. The error was: error while evaluating conditional (${text}): ${ansibleUndefinedText(undef)}`;
      throw new TemplateError(message, { ...(where ? { loc: where } : {}), cause: e });
    }
  }

  private guard<T>(loc: SourceLocation | undefined, text: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toTemplateError(e, text, loc);
    }
  }
}

interface NunjucksError extends Error {
  lineno?: number;
  colno?: number;
}

export function toTemplateError(e: unknown, text: string, loc: SourceLocation | undefined): KelpieError {
  let cur: unknown = e;
  let line: number | undefined;
  while (cur instanceof Error && !(cur instanceof KelpieError) && cur.cause instanceof Error) {
    line ??= (cur as NunjucksError).lineno;
    cur = cur.cause;
  }
  // Runtime errors carry nunjucks' 0-based line; parse errors a 1-based one.
  if (cur instanceof KelpieError) {
    if (cur.loc || cur.code !== 'template') return cur;
    // A fresh TemplateError (KelpieError.at would lose the subclass) pinned to the location.
    const where = adjust(loc, line === undefined ? undefined : line + 1, text);
    return new TemplateError(cur.message, { ...(where ? { loc: where } : {}), ...(cur.hint ? { hint: cur.hint } : {}), cause: cur });
  }
  let msg = cur instanceof Error ? cur.message : String(cur);
  // nunjucks prefixes "(unknown path) [Line 1, Column 3]\n  Error: " — keep only the cause.
  const at = /^\(unknown path\) \[Line (\d+), Column (\d+)\]/.exec(msg);
  msg = msg.replace(/^\(unknown path\)(?: \[Line \d+, Column \d+\])?\s*/, '').replace(/^(Template render error: |Error: )/, '');
  msg = jinjaWording(msg.trim());
  // a syntax error in a multi-line template (a .j2 file): its own line and column, and that line
  // instead of the whole template
  const lines = text.split('\n');
  if (at && lines.length > 1 && loc) {
    const n = Number(at[1]);
    const where = { file: loc.file, line: loc.line + n - 1, col: n === 1 ? loc.col - 1 + Number(at[2]) : Number(at[2]) };
    return new TemplateError(`template error while templating string: ${msg.trim().replace(/\.$/, '')}. Line: ${(lines[n - 1] ?? '').trim()}`, { loc: where, cause: e });
  }
  const brief = text.length > 200 ? text.slice(0, 200) + '…' : text;
  return new TemplateError(`template error while templating string: ${msg.trim()}. String: ${brief}`, {
    ...(loc ? { loc } : {}),
    cause: e,
  });
}

/** nunjucks' words for failures Jinja words differently. */
const JINJA_WORDING: [RegExp, string][] = [
  [/^template not found: (.*)$/, 'TemplateNotFound: $1'],
  [/^unknown block tag: (\w+)$/, "Encountered unknown tag '$1'."],
];
function jinjaWording(msg: string): string {
  for (const [re, to] of JINJA_WORDING) if (re.test(msg)) return msg.replace(re, to);
  return msg;
}

/** For multi-line templates (files, block scalars), point at the failing line. */
function adjust(loc: SourceLocation | undefined, line: number | undefined, text: string): SourceLocation | undefined {
  if (!loc || line === undefined || line <= 1 || !text.includes('\n')) return loc;
  return { file: loc.file, line: loc.line + line - 1, col: 1 };
}
