/** Finding a role directory and reading its YAML files (defaults, vars, meta). */
import { access, readdir, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, type SourceLocation } from '../errors.js';
import { suggest } from './diagnose.js';
import type { LoadContext } from './context.js';
import { isRecord } from './keywords.js';
import { readYaml, type SourceFile } from './source.js';
import { noteProbe, subdirNames } from './loadRecord.js';
import { checkVarsFile } from './templateNames.js';

async function isDir(p: string): Promise<boolean> {
  let dir = false;
  try {
    dir = (await stat(p)).isDirectory();
  } catch {
    // missing or unreadable: not a role directory
  }
  noteProbe('isDir', p, dir ? 'dir' : 'no');
  return dir;
}

async function exists(path: string): Promise<boolean> {
  let found = false;
  try {
    await access(path);
    found = true;
  } catch {
    // not there (or not reachable): the next candidate
  }
  noteProbe('exists', path, found ? 'yes' : 'no');
  return found;
}

/** The first existing path among candidates, or undefined. */
export async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}

/** Ansible's order: <playbook>/roles, roles_path, the depending role's siblings, the playbook dir itself. */
export function roleSearchDirs(ctx: LoadContext, fromDirs: string[]): string[] {
  const rolesPath = (ctx.opts.rolesPath ?? []).map((d) => resolve(ctx.playDir, d));
  return [...new Set([join(ctx.playDir, 'roles'), ...rolesPath, ...fromDirs, ctx.playDir])];
}

export async function findRole(ctx: LoadContext, name: string, fromDirs: string[], loc: SourceLocation): Promise<string | undefined> {
  if (isAbsolute(name)) {
    if (await isDir(name)) return name;
  }
  const dirs = roleSearchDirs(ctx, fromDirs);
  for (const d of dirs) {
    const p = join(d, name);
    if (await isDir(p)) return p;
  }
  const known = new Set<string>();
  for (const d of dirs.slice(0, -1)) {
    try {
      const entries = await readdir(d, { withFileTypes: true });
      noteProbe('subdirs', d, subdirNames(entries));
      for (const ent of entries) if (ent.isDirectory()) known.add(ent.name);
    } catch {
      // a roles_path entry that does not exist is not an error
      noteProbe('subdirs', d, '!');
    }
  }
  const hint = suggest(name, known);
  ctx.problems.error(`role '${name}' not found`, loc, `${hint ? `${hint} ` : ''}searched ${dirs.join(', ')}`);
  return undefined;
}

/** `dir/main` → the first of main.yml, main.yaml, main.json, main that exists. */
export async function roleFile(dir: string, base: string): Promise<string | undefined> {
  const p = join(dir, base);
  const withExt = extname(base) ? [p] : [`${p}.yml`, `${p}.yaml`, `${p}.json`, p];
  return firstExisting(withExt);
}

/** Reads a YAML file; problems are collected and undefined returned. */
export function readSource(ctx: LoadContext, file: string, from: SourceLocation): SourceFile | undefined {
  try {
    const { source, errors } = readYaml(file, from);
    for (const e of errors) ctx.problems.add(e);
    return errors.length ? undefined : source;
  } catch (e) {
    if (e instanceof ConfigError) {
      ctx.problems.add(e);
      return undefined;
    }
    throw e;
  }
}

/** defaults/main, vars/main: a mapping (or nothing). */
export async function readVarsFile(ctx: LoadContext, dir: string, base: string, loc: SourceLocation, required: boolean): Promise<Record<string, unknown>> {
  const file = await roleFile(dir, base);
  if (!file) {
    if (required) ctx.problems.error(`file '${base}' not found in ${dir}`, loc);
    return {};
  }
  const src = readSource(ctx, file, loc);
  if (!src) return {};
  const v = src.js(src.root);
  if (v === null || v === undefined) return {};
  if (!isRecord(v)) {
    ctx.problems.error(`${file} must hold a mapping of variables`, src.loc(src.root));
    return {};
  }
  checkVarsFile(src, ctx.problems);
  return v;
}
