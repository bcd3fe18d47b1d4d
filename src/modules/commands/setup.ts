/**
 * setup: gathers facts afresh (one round trip) and returns them as ansible_facts; the
 * executor merges them into the host's facts. It changes nothing, so it runs the same
 * in check mode. `filter` keeps only the matching top-level facts (shell-style
 * patterns, with or without the `ansible_` prefix, as Ansible accepts).
 */
import { gatherFacts } from '../../facts/index.js';
import { ConnectError } from '../../errors.js';
import { wildcardRegExp } from '../../fnmatch.js';
import { defineModule } from '../types.js';

const args = {
  gather_subset: { type: 'list', elements: 'str', default: ['all'] },
  filter: { type: 'list', elements: 'str', default: [] },
  gather_timeout: { type: 'int', default: 10 },
  fact_path: { type: 'path', description: 'Accepted for compatibility; local facts are not gathered.' },
} as const;

export function filterFacts(facts: Record<string, unknown>, patterns: readonly string[]): Record<string, unknown> {
  if (patterns.length === 0) return facts;
  const res = patterns.map((p) => wildcardRegExp(p.replace(/^ansible_/, '')));
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((re) => re.test(k))));
}

export default defineModule({
  name: 'setup',
  args,
  async plan(ctx, a) {
    let facts: Record<string, unknown>;
    try {
      facts = await gatherFacts((cmd) => ctx.probe(cmd, { timeoutMs: a.gather_timeout * 1000 }), { subset: a.gather_subset });
    } catch (e) {
      if (e instanceof ConnectError) throw e; // an unreachable host is UNREACHABLE, not a failed setup
      return { kind: 'fail', msg: (e as Error).message };
    }
    return { kind: 'ok', result: { ansible_facts: filterFacts(facts, a.filter), changed: false } };
  },
});
