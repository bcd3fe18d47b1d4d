/**
 * A role's argument spec (meta/argument_specs.yml, else the `argument_specs` key of
 * meta/main.yml): when it has an entry for the tasks file the role runs (`main`, or
 * tasks_from), the role's tasks start with Ansible's validation task, which checks the role's
 * parameters and variables against it (src/modules/control/validateArgumentSpec.ts).
 */
import { join } from 'node:path';
import { isMap as isYamlMap } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { LoadContext } from './context.js';
import type { Node, RoleRef } from './model.js';
import { readSource, roleFile } from './rolefiles.js';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `argument_specs` mapping of a role, with the file it came from and where each entry point is written. */
async function readArgSpecs(ctx: LoadContext, rolePath: string, loc: SourceLocation): Promise<{ file: string; specs: Record<string, unknown>; at: Map<string, SourceLocation> } | undefined> {
  const own = await roleFile(join(rolePath, 'meta'), 'argument_specs');
  for (const file of own ? [own] : [await roleFile(join(rolePath, 'meta'), 'main')]) {
    if (!file) continue;
    const src = readSource(ctx, file, loc);
    const root = src?.resolve(src.root);
    if (!src || !isYamlMap(root)) continue;
    const node = src.resolve(src.entries(root).find((e) => e.key === 'argument_specs')?.value);
    const specs = src.js(node);
    if (!isMap(specs) || !isYamlMap(node)) continue;
    return { file, specs, at: new Map(src.entries(node).map((e) => [e.key, e.keyLoc])) };
  }
  return undefined;
}

/** The validation task for the role's entry point, or nothing when its spec has none. */
export async function argSpecTask(ctx: LoadContext, role: RoleRef, entryPoint: string, params: Record<string, unknown>, loc: SourceLocation): Promise<Node[]> {
  const found = await readArgSpecs(ctx, role.path, loc);
  const spec = found?.specs[entryPoint];
  if (!found || !isMap(spec)) return [];
  const short = typeof spec['short_description'] === 'string' ? ` - ${spec['short_description']}` : '';
  const task = {
    name: `Validating arguments against arg spec '${entryPoint}'${short}`,
    'ansible.builtin.validate_argument_spec': {
      argument_spec: isMap(spec['options']) ? spec['options'] : {},
      provided_arguments: params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entryPoint, path: role.path },
    },
    tags: ['always'],
  };
  // JSON is YAML: the task parses as if the role had written it at its entry point's key (one
  // place per entry point, so each is a task of its own wherever the role is included)
  const at = found.at.get(entryPoint) ?? { line: 1, col: 1 };
  return ctx.readTaskFile(ctx, found.file, loc, role, false, `${'\n'.repeat(at.line - 1)}${' '.repeat(at.col - 1)}${JSON.stringify([task])}`);
}
