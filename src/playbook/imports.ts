/** Static imports inside task lists: import_tasks and import_role become blocks carrying the import's keywords. */
import { isAbsolute, join, resolve } from 'node:path';
import type { LoadContext, Scope } from './context.js';
import type { BlockNode, Keywords, Node, RoleRef, TaskNode } from './model.js';
import { toBool } from '../modules/argspec.js';
import { firstExisting } from './rolefiles.js';
import { noteImportedRole } from './importDuplicates.js';
import { instantiateRole } from './roles.js';

/** Keywords a task passes down to what it imports. */
function keywordsOf(task: TaskNode): Keywords {
  const {
    kind: _k, id: _i, name: _n, action: _a, actionAs: _as, args: _args, loc: _l, argLocs: _al, keyLocs: _kl,
    loop: _lp, register: _r, changedWhen: _c, failedWhen: _f, until: _u, retries: _re, delay: _d, notify: _no,
    listen: _li, file: _fi, ...kw
  } = task;
  return kw;
}

function importBlock(task: TaskNode, nodes: Node[], role?: RoleRef): BlockNode {
  const kw = keywordsOf(task);
  return {
    ...kw,
    kind: 'block',
    id: task.id,
    ...(task.name !== undefined ? { name: task.name } : {}),
    block: nodes,
    rescue: [],
    always: [],
    loc: task.loc,
    file: task.file,
    ...(role ? { role } : {}),
  };
}

const NOT_ON_IMPORT: [keyof TaskNode, string][] = [
  ['loop', 'loop'], ['register', 'register'], ['notify', 'notify'], ['changedWhen', 'changed_when'],
  ['failedWhen', 'failed_when'], ['until', 'until'],
];

export async function expandImport(ctx: LoadContext, scope: Scope, task: TaskNode, label: string): Promise<Node[]> {
  const p = ctx.problems;
  const keyLoc = task.keyLocs[task.actionAs] ?? task.loc;
  for (const [field, key] of NOT_ON_IMPORT) {
    if (task[field] !== undefined) {
      p.error(`${label}: '${key}' cannot be used with ${task.action}`, task.keyLocs[key] ?? keyLoc, `${task.action} is static; use ${task.action.replace('import', 'include')} instead`);
    }
  }
  if (task.action === 'import_role') {
    const name = task.args.name;
    if (typeof name !== 'string' || !name) {
      p.error(`${label}: import_role needs a role name`, keyLoc, 'import_role: { name: myrole }');
      return [];
    }
    const str = (k: string): string | undefined => (typeof task.args[k] === 'string' ? (task.args[k] as string) : undefined);
    const r = await instantiateRole(ctx, {
      name,
      params: {},
      loc: task.argLocs.name ?? keyLoc,
      fromDirs: scope.role ? [join(scope.role.path, '..')] : [],
      ...(str('tasks_from') ? { tasksFrom: str('tasks_from') } : {}),
      ...(str('handlers_from') ? { handlersFrom: str('handlers_from') } : {}),
      ...(str('vars_from') ? { varsFrom: str('vars_from') } : {}),
      ...(str('defaults_from') ? { defaultsFrom: str('defaults_from') } : {}),
      ...(task.args.rolespec_validate !== undefined ? { validate: toBool(task.args.rolespec_validate) !== false } : {}),
    }, false);
    if (!r) return [];
    const block = importBlock(task, r.nodes, r.role);
    noteImportedRole(ctx, task, label, r.role.path, block);
    return [block];
  }

  const file = task.args.file;
  if (typeof file !== 'string' || !file) {
    p.error(`${label}: import_tasks needs a file name`, keyLoc, 'import_tasks: other.yaml');
    return [];
  }
  if (file.includes('{{')) {
    p.error(`${label}: import_tasks is static, its file name cannot use variables`, task.argLocs.file ?? keyLoc, 'use include_tasks for a file chosen at run time');
    return [];
  }
  const candidates = isAbsolute(file)
    ? [file]
    : [...(scope.role ? [join(scope.role.path, 'tasks', file)] : []), join(scope.dir, file), join(ctx.playDir, file)];
  const path = await firstExisting([...new Set(candidates)]);
  if (!path) {
    p.error(`${label}: file '${file}' not found`, task.argLocs.file ?? keyLoc, `looked in ${[...new Set(candidates)].join(', ')}`);
    return [];
  }
  const key = resolve(path);
  if (ctx.stack.includes(key)) {
    p.error(`${label}: recursive import of '${path}'`, task.argLocs.file ?? keyLoc, `import chain: ${[...ctx.stack, path].join(' → ')}`);
    return [];
  }
  ctx.stack.push(key);
  try {
    const nodes = await ctx.readTaskFile(ctx, path, task.argLocs.file ?? keyLoc, scope.role, scope.handlers);
    return [importBlock(task, nodes)];
  } finally {
    ctx.stack.pop();
  }
}
