/** Task lists and block/rescue/always. */
import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { suggest } from './diagnose.js';
import { resolveAction } from './actions.js';
import { nextId, type LoadContext, type Scope } from './context.js';
import { applyShared, BLOCK_KEYWORDS, isLoopKey } from './keywords.js';
import type { BlockNode, Node } from './model.js';
import type { Entry, YNode } from './source.js';
import { parseTask } from './task.js';
import { checkTemplateNames } from './templateNames.js';

const BLOCK_SECTIONS = new Set(['block', 'rescue', 'always']);

/** A list of tasks under `tasks:`, `block:`, a role's tasks/main.yml... */
export async function parseTaskList(ctx: LoadContext, scope: Scope, node: YNode | null, what: string, loc: SourceLocation): Promise<Node[]> {
  const { src } = scope;
  const n = src.resolve(node);
  if (n === null || (isScalar(n) && n.value === null)) return [];
  if (!isSeq(n)) {
    ctx.problems.error(`'${what}' must be a list of tasks`, src.loc(n, loc), 'start each task with `- `');
    return [];
  }
  const out: Node[] = [];
  for (const item of n.items as YNode[]) {
    const t = src.resolve(item);
    const tLoc = src.loc(item, loc);
    if (!isMap(t)) {
      const got = isScalar(t) ? `'${String(t.value)}'` : 'a list';
      ctx.problems.error(`a task must be a mapping of keywords, got ${got}`, tLoc, 'e.g. `- name: say hi` followed by `debug: msg=hi`');
      continue;
    }
    const entries = src.entries(t);
    if (entries.some((e) => e.key === 'block')) out.push(await parseBlock(ctx, scope, entries, tLoc));
    else out.push(...(await parseTask(ctx, scope, entries, tLoc)));
  }
  return out;
}

export async function parseBlock(ctx: LoadContext, scope: Scope, entries: Entry[], loc: SourceLocation): Promise<BlockNode> {
  const { src } = scope;
  const p = ctx.problems;
  const block: BlockNode = {
    kind: 'block',
    id: nextId(ctx, loc),
    block: [],
    rescue: [],
    always: [],
    loc,
    file: scope.file,
    ...(scope.role ? { role: scope.role } : {}),
  };
  for (const e of entries) {
    const v = src.js(e.value);
    if (e.key === 'block' || e.key === 'rescue' || e.key === 'always') {
      block[e.key] = await parseTaskList(ctx, scope, e.value, e.key, e.keyLoc);
      continue;
    }
    if (e.key === 'name') {
      if (v !== null && v !== undefined) block.name = String(v);
      continue;
    }
    if (!BLOCK_KEYWORDS.has(e.key)) {
      if (e.key === 'loop' || isLoopKey(e.key)) {
        p.error(`a block cannot loop ('${e.key}')`, e.keyLoc, 'move the tasks to a file and loop over include_tasks');
      } else if (resolveAction(e.key)) {
        p.error(`a block cannot also have a module ('${e.key}')`, e.keyLoc, 'move it into the list under block:');
      } else {
        p.error(`unknown block keyword '${e.key}'`, e.keyLoc, suggest(e.key, BLOCK_KEYWORDS));
      }
      continue;
    }
    if (!applyShared(block, e.key, v, e.valueLoc, p)) p.error(`'${e.key}' is not supported on a block`, e.keyLoc, 'put it on the tasks inside the block');
  }
  checkTemplateNames(src, entries, p, { prefix: block.name ? `block '${block.name}': ` : '', skip: BLOCK_SECTIONS });
  return block;
}
