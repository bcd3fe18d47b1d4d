/**
 * lookup() / query() / q(): controller-side data sources. Paths are relative to the
 * Templar's baseDir, then its searchPaths. `pipe` runs on the controller through /bin/sh:
 * playbooks are trusted input (as in Ansible); values from hosts never become templates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type nunjucks from 'nunjucks';
import { KelpieError, TemplateError, type SourceLocation } from '../errors.js';
import { splitArgs } from './filters/args.js';
import { indexedItems, nestedItems, sequenceItems, subelementItems, togetherItems } from './listLookups.js';
import { TypedText, isDict, pyStr, truthy, typeName } from './pyvalue.js';
import { SCOPE_KEY, Scope } from './scope.js';
import { Undef, UndefinedError } from './undefined.js';

export interface LookupHost {
  readonly baseDir: string;
  readonly searchPaths: string[];
  renderString(text: string, vars: Record<string, unknown>, loc?: SourceLocation): string;
}

interface LookupCall {
  terms: unknown[];
  kw: Record<string, unknown>;
  scope: Scope | undefined;
  host: LookupHost;
}
type LookupFn = (call: LookupCall) => unknown[];

export function findFile(host: LookupHost, name: string, subdir?: string): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  const dirs = [host.baseDir, ...host.searchPaths];
  for (const d of dirs) {
    for (const candidate of subdir ? [resolve(d, subdir, name), resolve(d, name)] : [resolve(d, name)]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function mustFind(host: LookupHost, name: string, lookup: string, subdir: string): string {
  const p = findFile(host, name, subdir);
  if (!p) throw new TemplateError(`could not locate file in lookup: ${name}`, { hint: `searched ${[host.baseDir, ...host.searchPaths].join(', ')}` });
  return p;
}

const LOOKUPS: Record<string, LookupFn> = {
  file: ({ terms, kw, host }) =>
    terms.map((t) => {
      let s = readFileSync(mustFind(host, pyStr(t), 'file', 'files'), 'utf8');
      if (truthy(kw['rstrip'] ?? true)) s = s.replace(/\s+$/, '');
      if (truthy(kw['lstrip'] ?? false)) s = s.replace(/^\s+/, '');
      return s;
    }),
  env: ({ terms, kw }) => terms.map((t) => process.env[pyStr(t)] ?? kw['default'] ?? ''),
  template: ({ terms, scope, host }) =>
    terms.map((t) => {
      const file = mustFind(host, pyStr(t), 'template', 'templates');
      // errors point into the template file, not at the task that looked it up
      return host.renderString(readFileSync(file, 'utf8'), scope?.vars ?? {}, { file, line: 1, col: 1 });
    }),
  pipe: ({ terms, host }) =>
    terms.map((t) => {
      try {
        return execFileSync('/bin/sh', ['-c', pyStr(t)], { cwd: host.baseDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\s+$/, '');
      } catch (e) {
        throw new TemplateError(`lookup('pipe'): command failed: ${pyStr(t)}: ${(e as Error).message.split('\n')[0]}`);
      }
    }),
  vars: ({ terms, kw, scope }) =>
    terms.map((t) => {
      const v = scope?.get(pyStr(t));
      if (v !== undefined) return v;
      if ('default' in kw) return kw['default'];
      return new Undef(`No variable found with this name: ${pyStr(t)}`).fail();
    }),
  items: ({ terms }) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  indexed_items: ({ terms }) => indexedItems(terms),
  sequence: ({ terms }) => terms.flatMap((t) => sequenceItems(isDict(t) ? t : pyStr(t))),
  together: ({ terms }) => togetherItems(terms.map((t) => listTerm(t, 'together'))),
  nested: ({ terms }) => nestedItems(terms.map((t) => listTerm(t, 'nested'))),
  subelements: ({ terms }) => {
    if (terms.length < 2 || terms.length > 3) throw new TemplateError('subelements lookup expects a list of two or three items, ');
    return subelementItems(terms[0], terms[1], terms[2]);
  },
  varnames: ({ terms, scope }) => {
    const names: string[] = [];
    for (const name in scope?.vars ?? {}) names.push(name);
    return terms.flatMap((t) => {
      if (typeof t !== 'string') throw new TemplateError(`Invalid setting identifier, "${pyStr(t)}" is not a string, it is a ${typeName(t)}`);
      let re: RegExp;
      try {
        re = new RegExp(t);
      } catch (e) {
        throw new TemplateError(`Unable to use "${t}" as a search parameter: ${(e as Error).message}`);
      }
      return names.filter((n) => re.test(n));
    });
  },
  list: ({ terms }) => terms,
  dict: ({ terms }) =>
    terms.flatMap((t) => Object.entries(t as Record<string, unknown>).map(([key, value]) => ({ key, value }))),
  lines: ({ terms, host }) =>
    terms.flatMap((t) => execFileSync('/bin/sh', ['-c', pyStr(t)], { cwd: host.baseDir, encoding: 'utf8' }).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1)),
  first_found: ({ terms, kw, host }) => {
    const files = terms.flatMap((t) => (Array.isArray(t) ? t : [t])).map((x) => pyStr(x));
    const paths = (kw['paths'] as unknown[] | undefined)?.map((p) => pyStr(p)) ?? [''];
    for (const f of files) for (const p of paths) {
      const found = findFile(host, p ? resolve(host.baseDir, p, f) : f, 'files');
      if (found) return [found];
    }
    if (truthy(kw['skip'] ?? false)) return [];
    throw new LookupError('No file was found when using first_found.', { hint: `looked for ${files.join(', ')}` });
  },
};

/** A term that must be a list (a string is one item, as Ansible's listify does). */
function listTerm(t: unknown, lookup: string): unknown[] {
  if (Array.isArray(t)) return t;
  if (typeof t === 'string') return [t];
  throw new TemplateError(`with_${lookup} requires lists, got ${pyStr(t)}`);
}

/** A lookup that failed on purpose (Ansible's AnsibleLookupError): its message is not wrapped. */
export class LookupError extends TemplateError {}

/** What `errors=` asks of a failing lookup: a warning (warn) or nothing (ignore) and no result; anything else fails. */
function onFailure(errors: unknown, e: unknown, msg: string): void {
  const mode = errors === undefined ? 'strict' : pyStr(errors);
  if (mode !== 'warn' && mode !== 'ignore') throw e;
  if (mode === 'warn') process.stderr.write(`[WARNING]: ${msg}\n`);
}

/** The lookup's list, or undefined when it failed and `errors=` says to go on. */
function runLookup(ctx: { ctx: Record<string, unknown> }, host: LookupHost, args: unknown[]): { list: unknown[] | undefined; wantlist: boolean; allowUnsafe: boolean } {
  const a = splitArgs(args);
  const [nameRaw, ...terms] = a.pos;
  for (const t of terms) if (t instanceof Undef) t.fail();
  const name = pyStr(nameRaw).replace(/^ansible\.builtin\./, '');
  const fn = LOOKUPS[name];
  if (!fn) throw new TemplateError(`lookup plugin (${name}) not found`, { hint: `kelpie has: ${Object.keys(LOOKUPS).join(', ')}` });
  const scope = ctx.ctx[SCOPE_KEY];
  const { wantlist, allow_unsafe: allowUnsafe, errors, ...kw } = a.kw;
  const out = { wantlist: truthy(wantlist ?? false), allowUnsafe: truthy(allowUnsafe ?? false) };
  let list: unknown[];
  try {
    list = fn({ terms, kw, scope: scope instanceof Scope ? scope : undefined, host });
  } catch (e) {
    if (e instanceof UndefinedError) throw e;
    if (e instanceof LookupError) {
      onFailure(errors, e, `Lookup failed but the error is being ignored: ${e.message}`);
      return { list: undefined, ...out };
    }
    // Ansible's words around a lookup's unexpected failure (playbooks match on them)
    const msg = e instanceof Error ? e.message : String(e);
    const wrapped = `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: ${msg}`;
    // a failure located in a file of its own (a template's syntax error) keeps pointing there
    const where = e instanceof KelpieError && e.loc ? { loc: e.loc } : {};
    onFailure(errors, new TemplateError(`${wrapped}. ${msg}`, { ...where, ...(e instanceof TemplateError && e.hint ? { hint: e.hint } : {}), cause: e }), wrapped);
    return { list: undefined, ...out };
  }
  // As in Ansible, what a lookup returns is data (a file, a command's output): whatever
  // stores it keeps it untemplated, unless the playbook says allow_unsafe=True.
  if (list.length > 0 && scope instanceof Scope && !out.allowUnsafe) scope.tainted = true;
  return { list, ...out };
}

export function registerLookups(env: nunjucks.Environment, host: LookupHost): void {
  env.addGlobal('lookup', function (this: { ctx: Record<string, unknown> }, ...args: unknown[]) {
    const { list, wantlist, allowUnsafe } = runLookup(this, host, args);
    if (list === undefined) return wantlist ? [] : null;
    if (wantlist || list.length === 0 || allowUnsafe) return list;
    // text is joined with commas, as Ansible's AnsibleUnsafeText
    if (list.every((x) => typeof x === 'string')) return new TypedText(list.join(','), 'AnsibleUnsafeText');
    return list.length === 1 ? list[0] : list;
  });
  const query = function (this: { ctx: Record<string, unknown> }, ...args: unknown[]): unknown[] {
    return runLookup(this, host, args).list ?? [];
  };
  env.addGlobal('query', query);
  env.addGlobal('q', query);
}
