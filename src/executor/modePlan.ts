/**
 * What a module's plan becomes in the task's mode. plan() describes what would change and
 * never knows the mode; what check mode reports differently is declared by the module (a
 * `checkModeSkip` for a module Ansible skips there, a plan's `inCheckMode`) and applied here.
 */
import type { AnyModule, Plan, ReadContext } from '../modules/types.js';

export async function planInMode(module: AnyModule, view: ReadContext, args: Record<string, unknown>, checkMode: boolean): Promise<Plan> {
  if (checkMode && module.checkModeSkip) {
    const { msg, byAction } = module.checkModeSkip;
    return { kind: 'skip', ...(msg !== undefined ? { msg } : {}), ...(byAction ? { byAction } : {}) };
  }
  const plan: Plan = await module.plan(view, args);
  if (!checkMode || plan.inCheckMode === undefined) return plan;
  return typeof plan.inCheckMode === 'function' ? plan.inCheckMode() : plan.inCheckMode;
}
