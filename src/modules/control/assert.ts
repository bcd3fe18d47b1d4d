import { refuseTopLevelInlineIf } from '../../template/conditionSyntax.js';
import { isTemplate } from '../../template/scope.js';
import { defineModule } from '../types.js';

/** assert: every condition in `that` must hold. */
export default defineModule({
  name: 'assert',
  controllerOnly: true,
  args: {
    // a single condition may hold commas (`x == ['a', 'b']`): never split it, as Ansible's assert doesn't
    that: { type: 'raw', required: true },
    fail_msg: { type: 'raw', aliases: ['msg'] },
    success_msg: { type: 'raw' },
    quiet: { type: 'bool', default: false },
  },
  async plan(ctx, args) {
    for (const cond of Array.isArray(args.that) ? args.that : [args.that]) {
      // each `that` is a condition, which Jinja reads as an `{% if %}` test (conditionSyntax.ts)
      if (typeof cond === 'string' && !isTemplate(cond)) refuseTopLevelInlineIf(cond.trim(), cond.trim(), undefined);
      const ok = typeof cond === 'boolean' ? cond : Boolean(truthy(ctx.evaluate(String(cond))));
      if (!ok) {
        return {
          kind: 'fail',
          msg: args.fail_msg !== undefined ? String(args.fail_msg) : 'Assertion failed',
          result: { assertion: cond, evaluated_to: false },
        };
      }
    }
    return { kind: 'ok', result: { msg: args.success_msg !== undefined ? args.success_msg : 'All assertions passed' } };
  },
});

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}
