/**
 * lookup() / query() / q(): controller-side data sources. Paths are relative to the
 * Templar's baseDir, then its searchPaths. `pipe` runs on the controller through /bin/sh:
 * playbooks are trusted input (as in Ansible); values from hosts never become templates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type nunjucks from 'nunjucks';
import { TemplateError, type SourceLocation } from '../errors.js';
import { splitArgs } from './filters/args.js';
import { pyStr, truthy } from './pyvalue.js';
import { SCOPE_KEY, Scope } from './scope.js';
import { Undef } from './undefined.js';

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
  if (!p) throw new TemplateError(`lookup('${lookup}'): could not locate file '${name}' (searched ${[host.baseDir, ...host.searchPaths].join(', ')})`);
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
    throw new TemplateError(`lookup('first_found'): no file found among ${files.join(', ')}`);
  },
};

function runLookup(ctx: { ctx: Record<string, unknown> }, host: LookupHost, args: unknown[]): { list: unknown[]; wantlist: boolean } {
  const a = splitArgs(args);
  const [nameRaw, ...terms] = a.pos;
  for (const t of terms) if (t instanceof Undef) t.fail();
  const name = pyStr(nameRaw).replace(/^ansible\.builtin\./, '');
  const fn = LOOKUPS[name];
  if (!fn) throw new TemplateError(`lookup plugin (${name}) not found`, { hint: `kelpie has: ${Object.keys(LOOKUPS).join(', ')}` });
  const scope = ctx.ctx[SCOPE_KEY];
  const { wantlist, allow_unsafe: allowUnsafe, ...kw } = a.kw;
  const list = fn({ terms, kw, scope: scope instanceof Scope ? scope : undefined, host });
  // As in Ansible, what a lookup returns is data (a file, a command's output): whatever
  // stores it keeps it untemplated, unless the playbook says allow_unsafe=True.
  if (scope instanceof Scope && !truthy(allowUnsafe ?? false)) scope.tainted = true;
  return { list, wantlist: truthy(wantlist ?? false) };
}

export function registerLookups(env: nunjucks.Environment, host: LookupHost): void {
  env.addGlobal('lookup', function (this: { ctx: Record<string, unknown> }, ...args: unknown[]) {
    const { list, wantlist } = runLookup(this, host, args);
    if (wantlist) return list;
    if (list.length === 0) return '';
    if (list.every((x) => typeof x === 'string')) return list.join(',');
    return list.length === 1 ? list[0] : list;
  });
  const query = function (this: { ctx: Record<string, unknown> }, ...args: unknown[]): unknown[] {
    return runLookup(this, host, args).list;
  };
  env.addGlobal('query', query);
  env.addGlobal('q', query);
}
