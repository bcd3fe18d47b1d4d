/** Test driver: validates args like the executor, plans in the mode asked, and applies a change outside check mode. */
import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import type { AnyModule, Applied, Plan, WriteContext } from '../../../src/modules/types.js';
import { planInMode } from '../../../src/executor/modePlan.js';
import { withOutputLines } from '../../../src/executor/result.js';

export interface Outcome {
  plan: Plan;
  applied?: Applied;
  /** the module: a result of one run on the host gets the executor's *_lines */
  module?: AnyModule;
}

export async function runModule(mod: AnyModule, input: Record<string, unknown>, ctx: WriteContext, mode: { checkMode?: boolean } = {}): Promise<Outcome> {
  const { args, problems } = validateArgs(mod.args, input);
  assert.deepEqual(problems, [], 'argument problems');
  const why = mod.check?.(args);
  if (why) throw new Error(why);
  const checkMode = mode.checkMode ?? false;
  const plan = await planInMode(mod, ctx, args, checkMode);
  if (checkMode || (plan.kind !== 'change' && plan.kind !== 'unknown')) return { plan, module: mod };
  const data = plan.kind === 'change' || plan.kind === 'unknown' ? plan.data : undefined;
  const applied = await mod.apply!(ctx, args, data, plan);
  return { plan, applied, module: mod };
}

/**
 * The task result a playbook would register: plan result merged with apply's, with the
 * stdout_lines/stderr_lines the executor adds to a module run on the host.
 */
export function resultOf(o: Outcome): Record<string, unknown> {
  const r = { ...(o.plan as { result?: Record<string, unknown> }).result, ...o.applied?.result };
  return o.module && !o.module.controllerOnly ? withOutputLines(r) : r;
}
