/**
 * import_role's `allow_duplicates`, as Ansible 2.14 applies it (recorded in
 * test/parity/golden/language/roles-duplicates.json). Every import_role of one role with the
 * same *_from files and task vars shares one role per play (a `roles:` entry never shares it
 * with an import); each such import writes its own allow_duplicates (default true, whatever
 * meta/main.yml says) onto that role while the play loads, so the last import's value
 * decides: false runs the role at its first import only. (Ansible skips it per host at run
 * time, only where the role ran a task that was not skipped: known gap in test/parity/gaps.yaml.)
 */
import type { SourceLocation } from '../errors.js';
import { toBool } from '../modules/argspec.js';
import { isTemplate, Templar } from '../template/index.js';
import type { LoadContext } from './context.js';
import { noteUncacheable } from './loadRecord.js';
import type { BlockNode, TaskNode } from './model.js';

/** The import's allow_duplicates: a boolean, or a template rendered with the play's vars and -e values. */
function allowDuplicatesOf(ctx: LoadContext, task: TaskNode, label: string): boolean {
  const written = task.args.allow_duplicates;
  if (written === undefined) return true;
  const loc: SourceLocation = task.argLocs.allow_duplicates ?? task.loc;
  let value: unknown = written;
  if (typeof written === 'string' && isTemplate(written)) {
    // the templar may run lookups: not a function of the files read
    noteUncacheable(`allow_duplicates '${written}' is rendered while loading`);
    try {
      value = new Templar({}).render(written, { ...(ctx.playVars ?? {}), ...(ctx.opts.extraVars ?? {}) }, loc);
    } catch (e) {
      ctx.problems.error(`${label}: allow_duplicates '${written}': ${(e as Error).message}`, loc, "import_role is static: only the play's vars and -e values exist while it loads");
      return true;
    }
  }
  const b = toBool(value);
  if (b === undefined) ctx.problems.error(`${label}: allow_duplicates must be true or false, not ${JSON.stringify(value)}`, loc);
  return b ?? true;
}

/** Notes one import_role's block under the role it shares (same role path, *_from files and vars). */
export function noteImportedRole(ctx: LoadContext, task: TaskNode, label: string, rolePath: string, block: BlockNode): void {
  const from = ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'].map((k) => task.args[k] ?? null);
  const key = JSON.stringify([rolePath, from, task.vars ?? {}]);
  const shared = ctx.importedRoles.get(key) ?? { allowDuplicates: true, blocks: [] };
  shared.allowDuplicates = allowDuplicatesOf(ctx, task, label);
  shared.blocks.push(block);
  ctx.importedRoles.set(key, shared);
}

/** Once the play is loaded: a shared role whose last import said false keeps only its first import's tasks. */
export function dropDuplicateImports(ctx: LoadContext): void {
  for (const shared of ctx.importedRoles.values()) {
    if (shared.allowDuplicates) continue;
    for (const block of shared.blocks.slice(1)) block.block = [];
  }
}
