/**
 * Entry points: a whole playbook (import_playbook expanded in place), a task file for
 * include_tasks at run time, and a role for include_role at run time. Every problem is
 * collected first and thrown together, sorted by file and position.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { ConfigError, type SourceLocation } from '../errors.js';
import { suggest } from './diagnose.js';
import { loadModules } from '../modules/index.js';
import { inherit, newContext, type LoadContext, type LoadOptions } from './context.js';
import { loadTaskList } from './taskfile.js';
import { conditions, tagList, varsMap } from './keywords.js';
import type { Keywords, Node, Play, Playbook, RoleRef, TaskNode } from './model.js';
import { parsePlay } from './play.js';
import { PlaybookErrors } from './problems.js';
import { instantiateRole } from './roles.js';
import { readYaml, type Entry, type SourceFile, type YNode } from './source.js';

const IMPORT_PLAYBOOK = new Set(['import_playbook', 'ansible.builtin.import_playbook']);
const IMPORT_KEYS = ['import_playbook', 'name', 'when', 'tags', 'vars'];

async function importPlaybook(ctx: LoadContext, src: SourceFile, entries: Entry[], loc: SourceLocation): Promise<Play[]> {
  const p = ctx.problems;
  let target: unknown;
  let targetLoc = loc;
  let when: unknown[] = [];
  let tags: string[] = [];
  let vars: Record<string, unknown> = {};
  for (const e of entries) {
    const v = src.js(e.value);
    if (IMPORT_PLAYBOOK.has(e.key)) {
      target = v;
      targetLoc = e.valueLoc;
    } else if (e.key === 'when') when = conditions(v, 'when', e.valueLoc, p);
    else if (e.key === 'tags') tags = tagList(v, e.valueLoc, p);
    else if (e.key === 'vars') vars = varsMap(v, 'vars', e.valueLoc, p) ?? {};
    else if (e.key !== 'name') p.error(`'${e.key}' cannot be used with import_playbook`, e.keyLoc, suggest(e.key, IMPORT_KEYS) ?? `import_playbook takes ${IMPORT_KEYS.slice(1).join(', ')}`);
  }
  if (typeof target !== 'string' || !target) {
    p.error('import_playbook needs a file name', targetLoc, 'import_playbook: other.yaml');
    return [];
  }
  if (target.includes('{{')) {
    p.error('import_playbook is static, its file name cannot use variables', targetLoc);
    return [];
  }
  const file = isAbsolute(target) ? target : join(dirname(src.file), target);
  const key = resolve(file);
  if (ctx.stack.includes(key)) {
    p.error(`recursive import of playbook '${file}'`, targetLoc);
    return [];
  }
  ctx.stack.push(key);
  try {
    const plays = await playsOfFile(ctx, file, targetLoc);
    return plays.map((play) => ({
      ...play,
      ...(when.length ? { when: [...when, ...(play.when ?? [])] } : {}),
      ...(tags.length ? { tags: [...new Set([...tags, ...(play.tags ?? [])])] } : {}),
      ...(Object.keys(vars).length ? { vars: { ...play.vars, ...vars } } : {}), // import vars win, as in Ansible
    }));
  } finally {
    ctx.stack.pop();
  }
}

async function playsOf(ctx: LoadContext, src: SourceFile): Promise<Play[]> {
  const p = ctx.problems;
  const root = src.resolve(src.root);
  if (root === null || (isScalar(root) && root.value === null)) {
    p.error('the playbook is empty', src.loc(root), 'a playbook is a list of plays, each with hosts: and tasks:');
    return [];
  }
  if (!isSeq(root)) {
    p.error('a playbook must be a list of plays', src.loc(root), 'start each play with `- hosts: ...`');
    return [];
  }
  const plays: Play[] = [];
  for (const item of root.items as YNode[]) {
    const n = src.resolve(item);
    const loc = src.loc(item);
    if (!isMap(n)) {
      p.error('a play must be a mapping', loc, 'e.g. `- hosts: all` followed by `tasks:`');
      continue;
    }
    const entries = src.entries(n);
    if (entries.some((e) => IMPORT_PLAYBOOK.has(e.key))) {
      plays.push(...(await importPlaybook(ctx, src, entries, loc)));
      continue;
    }
    ctx.playDir = dirname(src.file); // roles/ next to the playbook that names them
    const play = await parsePlay(ctx, src, entries, loc);
    if (play) plays.push(play);
  }
  return plays;
}

async function playsOfFile(ctx: LoadContext, file: string, from: SourceLocation): Promise<Play[]> {
  try {
    const { source, errors } = readYaml(file, from);
    for (const e of errors) ctx.problems.add(e);
    return errors.length ? [] : await playsOf(ctx, source);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ctx.problems.add(e);
    return [];
  }
}

/** Loads and validates a playbook. Throws ConfigError (unreadable file, YAML syntax) or PlaybookErrors (all problems). */
export async function loadPlaybook(file: string, opts: LoadOptions = {}): Promise<Playbook> {
  loadModules();
  const { source, errors } = readYaml(file);
  if (errors.length === 1) throw errors[0]!;
  if (errors.length) throw new PlaybookErrors(errors);
  const ctx = newContext(dirname(file), opts, loadTaskList);
  ctx.stack.push(resolve(file));
  const plays = await playsOf(ctx, source);
  ctx.problems.throwIfAny();
  return { file, plays, ...(ctx.problems.warnings.length ? { warnings: ctx.problems.warnings } : {}) };
}

/** include_tasks at run time: the file's nodes, each inheriting `inherited` (the include's keywords). */
export async function loadTaskFile(file: string, at: { role?: RoleRef; inherited?: Keywords }, opts: LoadOptions = {}): Promise<Node[]> {
  loadModules();
  const ctx = newContext(opts.playbookDir ?? dirname(file), opts, loadTaskList);
  ctx.stack.push(resolve(file));
  const nodes = await loadTaskList(ctx, file, undefined, at.role);
  ctx.problems.throwIfAny();
  const inh = at.inherited;
  return inh && Object.keys(inh).length ? nodes.map((n) => inherit(n, inh)) : nodes;
}

export interface RoleFrom {
  tasksFrom?: string;
  handlersFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  validate?: boolean;
  params?: Record<string, unknown>;
  /** Where the include_role was written, for error positions. */
  loc?: SourceLocation;
}

/** include_role at run time: the role's nodes (dependencies first) and its handlers. */
export async function loadRole(
  name: string,
  fromDir: string,
  opts: LoadOptions = {},
  from: RoleFrom = {},
): Promise<{ role: RoleRef; tasks: Node[]; handlers: TaskNode[] }> {
  loadModules();
  const ctx = newContext(fromDir, opts, loadTaskList);
  const { loc, params, ...files } = from;
  const r = await instantiateRole(ctx, { name, params: params ?? {}, loc: loc ?? { file: fromDir, line: 1, col: 1 }, fromDirs: [], ...files }, false);
  ctx.problems.throwIfAny();
  if (!r) throw new ConfigError(`role '${name}' could not be loaded`, loc ? { loc } : {});
  return { role: r.role, tasks: r.nodes, handlers: ctx.roleHandlers };
}
