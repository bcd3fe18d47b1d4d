/** Naming what went wrong with a key nobody recognises: a mistyped keyword, module, or a mis-indented argument. */
import { editDistance, type SourceLocation } from '../errors.js';
import { actionNames, type ActionInfo } from './actions.js';
import { LOOP_KINDS, TASK_KEYWORDS } from './keywords.js';
import type { Problems } from './problems.js';

export interface Near {
  name: string;
  d: number;
}

/** True when `word` can be made from `c` by deleting letters (the user left some out). */
function isSubsequence(word: string, c: string): boolean {
  let i = 0;
  for (const ch of c) if (ch === word[i]) i++;
  return i === word.length;
}

/**
 * The closest candidate within the same distance limit `didYouMean` uses. Ties go to a
 * candidate the word is an abbreviation of (`taks` → `tasks`, not `tags`).
 */
export function nearest(word: string, candidates: Iterable<string>): Near | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: (Near & { sub: boolean }) | undefined;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(w, lc);
    if (d > limit) continue;
    const sub = isSubsequence(w, lc);
    if (!best || d < best.d || (d === best.d && sub && !best.sub)) best = { name: c, d, sub };
  }
  return best ? { name: best.name, d: best.d } : undefined;
}

/** `did you mean 'x'?`, or undefined. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const n = nearest(word, candidates);
  return n ? `did you mean '${n.name}'?` : undefined;
}

export const TASK_KEYWORD_NAMES = [...TASK_KEYWORDS, ...LOOP_KINDS.map((k) => `with_${k}`)];

export function unknownTaskKey(
  key: string,
  loc: SourceLocation,
  module: { info: ActionInfo; as: string } | undefined,
  prefix: string,
  problems: Problems,
): void {
  if (module?.info.keys?.has(key)) {
    problems.error(`${prefix}'${key}' is not a task keyword`, loc, `it is an argument of '${module.as}': indent it under '${module.as}:'`);
    return;
  }
  const kw = nearest(key, TASK_KEYWORD_NAMES);
  const mod = nearest(key, actionNames());
  // a task without a module: its unknown key is what Ansible takes for the module ("couldn't
  // resolve module/action 'pamd'"), even where it is a few letters from a keyword
  if (module && kw && (!mod || kw.d < mod.d)) {
    problems.error(`${prefix}unknown keyword '${key}'`, loc, `did you mean '${kw.name}'?`);
    return;
  }
  if (!module) {
    let hint = mod ? `did you mean '${mod.name}'?` : kw && kw.d === 1 ? `did you mean the keyword '${kw.name}'?` : undefined;
    const last = key.split('.').pop() ?? key;
    if (!hint && key.includes('.') && actionNames().includes(last)) hint = `kelpie implements '${last}'; collections are not supported`;
    problems.error(`${prefix}unknown module '${key}'`, loc, hint);
    return;
  }
  problems.error(`${prefix}unknown keyword '${key}'`, loc, `a task takes one module ('${module.as}') plus task keywords`);
}
