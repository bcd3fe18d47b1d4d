/**
 * Roles: `roles:` entries, meta/main dependencies (run first, deduplicated per play like
 * Ansible unless allow_duplicates or different parameters), and static import_role.
 * A role invocation becomes a BlockNode with `role` set, carrying the entry's keywords.
 */
import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { isTemplate, Templar } from '../template/index.js';
import { noteUncacheable } from './loadRecord.js';
import { flattenTasks, nextId, type LoadContext } from './context.js';
import { applyShared, varsMap } from './keywords.js';
import type { BlockNode, Keywords, Node, RoleRef } from './model.js';
import { argSpecTask } from './roleArgSpecs.js';
import { findRole, readSource, readVarsFile, roleFile } from './rolefiles.js';
import type { SourceFile, YNode } from './source.js';

export interface RoleCall {
  name: string;
  params: Record<string, unknown>;
  loc: SourceLocation;
  /** Extra directories to look in (a dependency's siblings). */
  fromDirs: string[];
  tasksFrom?: string;
  handlersFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  /** false: skip the role's argument spec check (include_role/import_role `rolespec_validate: false`). */
  validate?: boolean;
}

export interface RoleEntry {
  call: RoleCall;
  keywords: Keywords;
  loc: SourceLocation;
}

/**
 * `role: "{{ name }}"`: Ansible renders it while loading the play, with the play's vars and
 * the extra vars (host variables do not exist yet), so kelpie does the same.
 */
function roleName(ctx: LoadContext, written: string, loc: SourceLocation): string | undefined {
  if (!isTemplate(written)) return written;
  // the templar may run lookups (files, commands, the environment): not a function of the files read
  noteUncacheable(`role name '${written}' is rendered while loading`);
  try {
    const name = String(new Templar({}).render(written, { ...(ctx.playVars ?? {}), ...(ctx.opts.extraVars ?? {}) }, loc)).trim();
    if (name) return name;
    ctx.problems.error(`role name '${written}' renders to nothing`, loc);
  } catch (e) {
    ctx.problems.error(`role name '${written}': ${(e as Error).message}`, loc, "only the play's vars and -e values exist while roles load; use include_role for a role chosen per host");
  }
  return undefined;
}

/** One item of `roles:` or of meta/main `dependencies:`. */
export function parseRoleEntry(ctx: LoadContext, src: SourceFile, node: YNode, fromDirs: string[]): RoleEntry | undefined {
  const p = ctx.problems;
  const n = src.resolve(node);
  const loc = src.loc(node);
  if (isScalar(n) && typeof n.value === 'string') {
    return { call: { name: n.value, params: {}, loc, fromDirs }, keywords: {}, loc };
  }
  if (!isMap(n)) {
    p.error('a role entry must be a role name or a mapping with `role:`', loc);
    return undefined;
  }
  const entries = src.entries(n);
  const nameEntry = entries.find((e) => e.key === 'role') ?? entries.find((e) => e.key === 'name');
  const written = nameEntry ? src.js(nameEntry.value) : undefined;
  if (typeof written !== 'string' || !written) {
    p.error('a role entry needs `role: NAME`', loc);
    return undefined;
  }
  const name = roleName(ctx, written, nameEntry!.valueLoc);
  if (name === undefined) return undefined;
  const keywords: Keywords = {};
  const params: Record<string, unknown> = {};
  for (const e of entries) {
    if (e === nameEntry) continue;
    const v = src.js(e.value);
    if (e.key === 'vars') Object.assign(params, varsMap(v, 'vars', e.valueLoc, p) ?? {});
    else if (e.key === 'name' || e.key === 'role') continue;
    else if (!applyShared(keywords, e.key, v, e.valueLoc, p)) params[e.key] = v; // any other key is a role parameter
  }
  return { call: { name, params, loc: nameEntry!.valueLoc, fromDirs }, keywords, loc };
}

/** The wrapper block of one role invocation. */
export function roleBlock(ctx: LoadContext, keywords: Keywords, role: RoleRef, nodes: Node[], loc: SourceLocation): BlockNode {
  return { ...keywords, kind: 'block', id: nextId(ctx, loc), block: nodes, rescue: [], always: [], loc, file: loc.file, role };
}

interface Meta {
  allowDuplicates: boolean;
  deps: RoleEntry[];
}

async function readMeta(ctx: LoadContext, path: string, loc: SourceLocation): Promise<Meta> {
  const file = await roleFile(join(path, 'meta'), 'main');
  const meta: Meta = { allowDuplicates: false, deps: [] };
  if (!file) return meta;
  const src = readSource(ctx, file, loc);
  const root = src?.resolve(src.root);
  if (!src || !root) return meta;
  if (!isMap(root)) {
    ctx.problems.error(`${file} must hold a mapping`, src.loc(root));
    return meta;
  }
  for (const e of src.entries(root)) {
    if (e.key === 'allow_duplicates') meta.allowDuplicates = src.js(e.value) === true;
    if (e.key !== 'dependencies') continue;
    const deps = src.resolve(e.value);
    if (deps === null || (isScalar(deps) && deps.value === null)) continue;
    if (!isSeq(deps)) {
      ctx.problems.error(`'dependencies' must be a list of roles`, e.valueLoc);
      continue;
    }
    for (const d of deps.items as YNode[]) {
      const entry = parseRoleEntry(ctx, src, d, [dirname(path)]);
      if (entry) meta.deps.push(entry);
    }
  }
  return meta;
}

/**
 * Loads a role: its dependencies' blocks, then its own tasks. Handlers go to
 * ctx.roleHandlers. With `dedupe`, a role already run in this play with the same
 * parameters is skipped (returns `skipped`).
 */
export async function instantiateRole(
  ctx: LoadContext,
  call: RoleCall,
  dedupe: boolean,
): Promise<{ role: RoleRef; nodes: Node[]; skipped?: boolean } | undefined> {
  const p = ctx.problems;
  const path = await findRole(ctx, call.name, call.fromDirs, call.loc);
  if (!path) return undefined;
  const key = `role:${path}:${call.tasksFrom ?? 'main'}:${JSON.stringify(call.params)}`;
  if (ctx.stack.includes(key)) {
    p.error(`role '${call.name}' depends on itself`, call.loc, 'remove the dependency cycle in meta/main.yml');
    return undefined;
  }
  const meta = await readMeta(ctx, path, call.loc);
  const defaults = await readVarsFile(ctx, join(path, 'defaults'), call.defaultsFrom ?? 'main', call.loc, call.defaultsFrom !== undefined);
  const vars = await readVarsFile(ctx, join(path, 'vars'), call.varsFrom ?? 'main', call.loc, call.varsFrom !== undefined);
  const role: RoleRef = { name: call.name, path, defaults, vars, params: call.params };
  if (dedupe && !meta.allowDuplicates && ctx.rolesSeen.has(key)) return { role, nodes: [], skipped: true };
  ctx.rolesSeen.add(key);

  ctx.stack.push(key);
  try {
    const nodes: Node[] = [];
    for (const dep of meta.deps) {
      const r = await instantiateRole(ctx, dep.call, true);
      if (r && !r.skipped) nodes.push(roleBlock(ctx, dep.keywords, r.role, r.nodes, dep.loc));
    }
    if (call.validate !== false) nodes.push(...(await argSpecTask(ctx, role, call.tasksFrom ?? 'main', call.params, call.loc)));
    const tasksFile = await roleFile(join(path, 'tasks'), call.tasksFrom ?? 'main');
    if (tasksFile) nodes.push(...(await ctx.readTaskFile(ctx, tasksFile, call.loc, role)));
    else if (call.tasksFrom) p.error(`role '${call.name}' has no tasks file '${call.tasksFrom}'`, call.loc, `looked in ${join(path, 'tasks')}`);

    const handlersFile = await roleFile(join(path, 'handlers'), call.handlersFrom ?? 'main');
    if (handlersFile && !ctx.handlerFilesSeen.has(handlersFile)) {
      ctx.handlerFilesSeen.add(handlersFile);
      ctx.roleHandlers.push(...flattenTasks(await ctx.readTaskFile(ctx, handlersFile, call.loc, role, true)));
    } else if (!handlersFile && call.handlersFrom) {
      p.error(`role '${call.name}' has no handlers file '${call.handlersFrom}'`, call.loc);
    }
    return { role, nodes };
  } finally {
    ctx.stack.pop();
  }
}

/** Expands a play's `roles:` list into role blocks. */
export async function expandRoles(ctx: LoadContext, src: SourceFile, node: YNode | null, loc: SourceLocation): Promise<Node[]> {
  const n = src.resolve(node);
  if (n === null || (isScalar(n) && n.value === null)) return [];
  if (!isSeq(n)) {
    ctx.problems.error(`'roles' must be a list of roles`, src.loc(n, loc));
    return [];
  }
  const out: Node[] = [];
  for (const item of n.items as YNode[]) {
    const entry = parseRoleEntry(ctx, src, item, []);
    if (!entry) continue;
    const r = await instantiateRole(ctx, entry.call, true);
    if (r && !r.skipped) out.push(roleBlock(ctx, entry.keywords, r.role, r.nodes, entry.loc));
  }
  return out;
}
