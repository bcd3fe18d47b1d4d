/**
 * include_tasks / include_role nest at run time, so a file that includes itself would grow
 * forever (Ansible has no limit and runs until memory runs out). kelpie stops at a depth
 * of 100 with the chain of include tasks that led there.
 */
import { KelpieError, type SourceLocation } from '../errors.js';

export const MAX_INCLUDE_DEPTH = 100;

const where = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;

/** The include tasks from the play down to `loc`; throws when that nests too deep. */
export function deeperInclude(chain: readonly SourceLocation[] | undefined, loc: SourceLocation): SourceLocation[] {
  const next = [...(chain ?? []), loc];
  if (next.length <= MAX_INCLUDE_DEPTH) return next;
  const distinct = [...new Map(next.map((l) => [where(l), l])).keys()];
  throw new KelpieError('config', `includes nested more than ${MAX_INCLUDE_DEPTH} deep: ${distinct.join(' → ')} → … (the chain repeats)`, {
    loc,
    hint: 'a file that includes itself needs a condition that ends the recursion',
  });
}
