/** Naming what went wrong with a key nobody recognises: a mistyped keyword, module, or a mis-indented argument. */
import { editDistance, type SourceLocation } from '../errors.js';
import { actionNames, type ActionInfo } from './actions.js';
import { LOOP_KINDS, TASK_KEYWORDS } from './keywords.js';
import type { Problems } from './problems.js';

export interface Near {
  name: string;
  d: number;
}

/** The closest candidate within the same distance limit `didYouMean` uses. */
export function nearest(word: string, candidates: Iterable<string>): Near | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: Near | undefined;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name: c, d };
  }
  return best;
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
  if (kw && (!mod || kw.d < mod.d)) {
    problems.error(`${prefix}unknown keyword '${key}'`, loc, `did you mean '${kw.name}'?`);
    return;
  }
  if (!module) {
    let hint = mod ? `did you mean '${mod.name}'?` : undefined;
    const last = key.split('.').pop() ?? key;
    if (!hint && key.includes('.') && actionNames().includes(last)) hint = `kelpie implements '${last}'; collections are not supported`;
    problems.error(`${prefix}unknown module '${key}'`, loc, hint);
    return;
  }
  problems.error(`${prefix}unknown keyword '${key}'`, loc, `a task takes one module ('${module.as}') plus task keywords`);
}
