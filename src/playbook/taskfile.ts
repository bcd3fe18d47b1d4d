/** A file holding a list of tasks (a role's tasks/main.yml, an imported or included file), parsed. */
import { isSeq } from 'yaml';
import { ConfigError, type SourceLocation } from '../errors.js';
import { scopeOf, type LoadContext } from './context.js';
import type { Node, RoleRef } from './model.js';
import { parseYaml, readYaml } from './source.js';
import { parseTaskList } from './tasks.js';

/** Reads a file holding a list of tasks; problems are collected, never thrown. */
export async function loadTaskList(ctx: LoadContext, file: string, from: SourceLocation | undefined, role?: RoleRef, handlers?: boolean, text?: string): Promise<Node[]> {
  let parsed;
  try {
    parsed = text === undefined ? readYaml(file, from) : parseYaml(file, text);
  } catch (e) {
    if (e instanceof ConfigError) ctx.problems.add(e);
    else throw e;
    return [];
  }
  for (const e of parsed.errors) ctx.problems.add(e);
  if (parsed.errors.length) return [];
  const { source } = parsed;
  const root = source.root;
  if (root && !isSeq(root)) {
    ctx.problems.error(`${file} must hold a list of tasks`, source.loc(root), 'start each task with `- `');
    return [];
  }
  return parseTaskList(ctx, scopeOf(source, role, handlers), root, file, source.loc(root));
}
