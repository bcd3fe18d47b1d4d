/** State shared while one playbook (or one included file) is being loaded. */
import { dirname } from 'node:path';
import type { SourceLocation } from '../errors.js';
import type { BlockNode, Keywords, Node, RoleRef, TaskNode } from './model.js';
import { Problems } from './problems.js';
import type { SourceFile } from './source.js';

export interface LoadOptions {
  /** Extra role directories (ansible.cfg roles_path / ANSIBLE_ROLES_PATH); <playbook dir>/roles is always searched first. */
  rolesPath?: string[];
  /** Directory of the top-level playbook, for loadTaskFile/loadRole at run time (defaults to the file's directory). */
  playbookDir?: string;
  /** -e values: a templated role name in `roles:` is rendered with the play's vars and these, as Ansible does. */
  extraVars?: Record<string, unknown>;
}

/** Reads a file holding a list of tasks into nodes; its problems are collected, never thrown. */
/** Reads a file of tasks; with `text`, parses that text as if the file held it (a task kelpie writes for the file, such as a role's argument spec check). */
export type TaskFileReader = (ctx: LoadContext, file: string, from: SourceLocation | undefined, role?: RoleRef, handlers?: boolean, text?: string) => Promise<Node[]>;

export interface LoadContext {
  /**
   * taskfile.ts's loadTaskList, handed in by the loader: task lists import files, files
   * hold task lists, roles hold both; the parsers recurse through here instead of
   * importing one another in a circle.
   */
  readTaskFile: TaskFileReader;
  problems: Problems;
  opts: LoadOptions;
  /** Directory of the top-level playbook: roles/ and relative role paths start here. */
  playDir: string;
  /** Files and roles being expanded right now, to catch recursive imports. */
  stack: string[];
  ids: Map<string, number>;
  /** Handlers of roles used by the current play. */
  roleHandlers: TaskNode[];
  /** Role handler files already added to the current play. */
  handlerFilesSeen: Set<string>;
  /** Role invocations already expanded in the current play (dedupe like Ansible). */
  rolesSeen: Set<string>;
  /** import_role's shared roles in the current play, by role, *_from files and vars (allow_duplicates). */
  importedRoles: Map<string, ImportedRole>;
  /** The current play's `vars`, for templated role names. */
  playVars?: Record<string, unknown>;
}

/** The import_role blocks of one role shared in the current play (src/playbook/importDuplicates.ts). */
export interface ImportedRole {
  allowDuplicates: boolean;
  blocks: BlockNode[];
}

/** Where the nodes being parsed come from. */
export interface Scope {
  src: SourceFile;
  file: string;
  dir: string;
  role?: RoleRef;
  /** Parsing a handlers section: blocks are flattened, `listen` is allowed. */
  handlers?: boolean;
}

export function newContext(playDir: string, opts: LoadOptions, readTaskFile: TaskFileReader): LoadContext {
  return {
    readTaskFile,
    problems: new Problems(),
    opts,
    playDir,
    stack: [],
    ids: new Map(),
    roleHandlers: [],
    handlerFilesSeen: new Set(),
    rolesSeen: new Set(),
    importedRoles: new Map(),
  };
}

export function scopeOf(src: SourceFile, role?: RoleRef, handlers?: boolean): Scope {
  return { src, file: src.file, dir: dirname(src.file), ...(role ? { role } : {}), ...(handlers ? { handlers } : {}) };
}

/** `file:line:col`, with `#n` appended when the same spot is expanded again (a role used twice). */
export function nextId(ctx: LoadContext, loc: SourceLocation): string {
  const base = `${loc.file}:${loc.line}:${loc.col}`;
  const n = (ctx.ids.get(base) ?? 0) + 1;
  ctx.ids.set(base, n);
  return n === 1 ? base : `${base}#${n}`;
}

/**
 * Folds a parent's keywords into a child (used where the model has no block to carry
 * them: flattened handlers, include_tasks `inherited`). Conditions are ANDed, tags united,
 * vars merged, and the child's own settings win over the parent's.
 */
export function inherit<T extends Node>(child: T, parent: Keywords): T {
  const out: T = { ...child };
  for (const [k, v] of Object.entries(parent) as [keyof Keywords, unknown][]) {
    if (v === undefined) continue;
    if (k === 'when') out.when = [...(parent.when ?? []), ...(child.when ?? [])];
    else if (k === 'tags') out.tags = [...new Set([...(parent.tags ?? []), ...(child.tags ?? [])])];
    else if (k === 'vars') out.vars = { ...parent.vars, ...child.vars };
    else if (out[k] === undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Flattens blocks into plain tasks (handlers must be plain tasks in the model). */
export function flattenTasks(nodes: Node[]): TaskNode[] {
  const out: TaskNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'task') {
      out.push(n);
      continue;
    }
    const { kind: _k, id: _i, name: _n, block, rescue: _r, always, loc: _l, file: _f, ...kw } = n;
    for (const t of flattenTasks([...block, ...always])) out.push(inherit(t, kw));
  }
  return out;
}
