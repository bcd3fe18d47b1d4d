import { defineModule } from '../types.js';

/** set_fact: every argument becomes a host variable (the executor merges ansible_facts). */
export default defineModule({
  name: 'set_fact',
  controllerOnly: true,
  anyArgs: true,
  templatedNames: true,
  args: { cacheable: { type: 'bool', default: false } },
  async plan(_ctx, args) {
    const facts: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    delete facts.cacheable;
    if (Object.keys(facts).length === 0) return { kind: 'fail', msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
    return { kind: 'ok', result: { ansible_facts: facts, _kelpie_set_fact: true, ...(args.cacheable ? { _kelpie_facts_cacheable: true } : {}) } };
  },
});
