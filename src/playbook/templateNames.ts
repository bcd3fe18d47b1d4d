/**
 * A filter or test that neither kelpie nor Ansible has (`| to_jsno`, `is sucess`) is a typo:
 * refused at load time, before any host is touched, at the line and column where it is
 * written, with a did-you-mean. Names Ansible has and kelpie lacks load, and fail their
 * task when it runs.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { isTemplate } from '../template/index.js';
import { BUILTIN_PREFIX, knownNames, unknownNames } from '../template/names.js';
import { suggest } from './diagnose.js';
import { noteRead } from './loadRecord.js';
import type { Problems } from './problems.js';
import type { Entry, SourceFile, YNode } from './source.js';
import type { TaskNode } from './model.js';

/** Keywords whose strings are bare expressions (`when: x is sucess`), not templates. */
export const EXPRESSION_KEYWORDS = new Set(['when', 'changed_when', 'failed_when', 'until']);

/** Module arguments that are bare expressions: assert's `that`, debug's `var`. */
const EXPRESSION_ARGUMENTS: Record<string, string> = { assert: 'that', debug: 'var' };

function hintFor(kind: 'filter' | 'test', name: string): string {
  const prefix = BUILTIN_PREFIX.exec(name)?.[0] ?? '';
  const candidates = [...(kind === 'filter' ? knownNames().filters : knownNames().tests)].filter((c) => !c.includes('.'));
  const near = suggest(name.slice(prefix.length), candidates);
  return near ? near.replace(/'(.*)'/, `'${prefix}$1'`) : `neither kelpie nor Ansible has a ${kind} of that name`;
}

/** Where name is first written as a whole name in text. */
function indexOfName(text: string, name: string): number | undefined {
  return new RegExp(`(?<![\\w.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`).exec(text)?.index;
}

/** Checks every string value in node; with `expression`, strings without `{{` are bare expressions. */
function checkNode(src: SourceFile, node: YNode | null, expression: boolean, problems: Problems, prefix: string): void {
  const n = src.resolve(node);
  if (isSeq(n)) {
    for (const item of n.items as YNode[]) checkNode(src, item, expression, problems, prefix);
  } else if (isMap(n)) {
    for (const e of src.entries(n)) checkNode(src, e.value, expression, problems, prefix);
  } else if (isScalar(n) && typeof n.value === 'string') {
    // (`!unsafe` and `!vault` scalars hold objects, never a string: they are not rendered)
    const text = n.value;
    const asExpression = expression && !isTemplate(text);
    if (!asExpression && !isTemplate(text)) return;
    const raw = n.range ? src.text.slice(n.range[0], n.range[1]) : '';
    for (const { kind, name } of unknownNames(text, asExpression)) {
      // point at the name where it is written (quoted scalars and block scalars alike)
      const at = indexOfName(raw, name);
      const loc = n.range && at !== undefined ? src.at(n.range[0] + at) : src.loc(n);
      problems.error(`${prefix}unknown ${kind} '${name}'`, loc, hintFor(kind, name));
    }
  }
}

/** Checks the templated strings of a vars file (a role's defaults/ and vars/). */
export function checkVarsFile(src: SourceFile, problems: Problems): void {
  checkNode(src, src.root, false, problems, '');
}

/**
 * Checks the templated strings of a task, block or play mapping: every keyword except the
 * ones listed in `skip` (nested task lists, names), and the module's arguments.
 */
export function checkTemplateNames(
  src: SourceFile,
  entries: Entry[],
  problems: Problems,
  opts: { prefix?: string; skip?: ReadonlySet<string>; module?: { key: string; action: string } } = {},
): void {
  const prefix = opts.prefix ?? '';
  const expressionArg = opts.module ? EXPRESSION_ARGUMENTS[opts.module.action] : undefined;
  for (const e of entries) {
    if (e.key === 'name' || opts.skip?.has(e.key)) continue;
    const value = src.resolve(e.value);
    if (expressionArg && isMap(value) && e.key === opts.module?.key) {
      for (const arg of src.entries(value)) checkNode(src, arg.value, arg.key === expressionArg, problems, prefix);
    } else checkNode(src, e.value, EXPRESSION_KEYWORDS.has(e.key), problems, prefix);
  }
}

/**
 * A `template:` task's source file, when its name is literal and the file is where the
 * task will look for it (the role, the task file's directory, the playbook's; each one's
 * templates/ first). One that cannot be found is left to the task, which says so.
 */
export async function checkTemplateFile(task: TaskNode, playDir: string, problems: Problems, prefix: string): Promise<void> {
  const src = task.args.src;
  if (typeof src !== 'string' || !src || isTemplate(src)) return;
  const dirs = [...new Set([...(task.role ? [task.role.path] : []), dirname(task.file), playDir])];
  const candidates = isAbsolute(src) ? [src] : dirs.flatMap((d) => [join(d, 'templates', src), join(d, src)]);
  for (const path of candidates) {
    let text: string;
    try {
      const bytes = await readFile(path);
      noteRead(path, bytes);
      text = bytes.toString('utf8').replace(/\r\n?/g, '\n');
    } catch (e) {
      noteRead(path, e as NodeJS.ErrnoException);
      continue;
    }
    for (const { kind, name } of unknownNames(text)) {
      const at = indexOfName(text, name) ?? 0;
      const before = text.slice(0, at).split('\n');
      const loc: SourceLocation = { file: path, line: before.length, col: before[before.length - 1]!.length + 1 };
      problems.error(`${prefix}unknown ${kind} '${name}' in template '${src}'`, loc, hintFor(kind, name));
    }
    return;
  }
}
