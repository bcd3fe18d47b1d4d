/** A task's module arguments: a mapping or free-form text, each key with its position. */
import { isMap, isScalar, type Scalar } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { suggest } from './diagnose.js';
import { isAnsibleArgument, notImplementedMessage } from '../modules/ansibleArgs.js';
import type { ActionInfo } from './actions.js';
import { parseFreeForm } from './freeform.js';
import type { Problems } from './problems.js';
import type { SourceFile, YNode } from './source.js';

export interface Args {
  args: Record<string, unknown>;
  argLocs: Record<string, SourceLocation>;
}

/** Where character `i` of a scalar's value sits in the file, when the scalar is written verbatim. */
function textLocator(src: SourceFile, node: YNode | null, value: string, fallback: SourceLocation): (i: number) => SourceLocation {
  const range = node?.range;
  if (!range || !isScalar(node)) return () => fallback;
  const written = src.text.slice(range[0], range[1]);
  const t = (node as Scalar).type;
  let base: number | undefined;
  if (t === 'PLAIN' && written === value) base = range[0];
  else if ((t === 'QUOTE_SINGLE' || t === 'QUOTE_DOUBLE') && written.slice(1, -1) === value) base = range[0] + 1;
  if (base === undefined) return () => fallback;
  const b = base;
  return (i) => src.at(b + i);
}

/**
 * Splits free-form text (`src=a dest=b`, `ls -l chdir=/tmp`). Text that is not k=v goes to
 * the action's free-form argument; for actions without one it is an error.
 */
export function argsFromText(
  src: SourceFile,
  node: YNode | null,
  text: string,
  info: ActionInfo,
  loc: SourceLocation,
  problems: Problems,
  label: string,
): Args {
  const at = textLocator(src, node, text, loc);
  const ff = parseFreeForm(text, info.freeForm && info.freeFormKeys ? { only: info.freeFormKeys } : {});
  const args: Record<string, unknown> = {};
  const argLocs: Record<string, SourceLocation> = {};
  for (const [k, v] of Object.entries(ff.params)) {
    args[k] = v;
    argLocs[k] = at(ff.offsets[k] ?? 0);
  }
  const rest = ff.rest.trim();
  if (rest !== '') {
    if (info.freeForm) {
      // Ansible keeps a command's own line ends (`shell: |` text ends with its newline)
      args[info.freeForm] = info.freeForm === '_raw_params' ? ff.rest.replace(/^\s+/, '').replace(/[ \t]+$/, '') : rest;
      argLocs[info.freeForm] = at(text.indexOf(rest.slice(0, 1)));
    } else {
      problems.error(
        `${label}: '${info.action}' takes key=value arguments, got '${rest.length > 40 ? `${rest.slice(0, 40)}…` : rest}'`,
        at(text.indexOf(rest.slice(0, 1))),
        'write the arguments as a mapping, or as key=value pairs',
      );
    }
  }
  return { args, argLocs };
}

/** Arguments written after the module key: null, a mapping, or free-form text. */
export function argsFromNode(src: SourceFile, node: YNode | null, info: ActionInfo, loc: SourceLocation, problems: Problems, label: string): Args {
  const n = src.resolve(node);
  if (n === null || (isScalar(n) && (n.value === null || n.value === ''))) return { args: {}, argLocs: {} };
  if (isMap(n)) {
    const args: Record<string, unknown> = {};
    const argLocs: Record<string, SourceLocation> = {};
    for (const e of src.entries(n)) {
      args[e.key] = src.js(e.value);
      argLocs[e.key] = e.keyLoc;
    }
    return { args, argLocs };
  }
  if (isScalar(n) && typeof n.value !== 'object') {
    return argsFromText(src, n, String(n.value), info, loc, problems, label);
  }
  problems.error(`${label}: arguments of '${info.action}' must be a mapping or key=value text, got a list`, loc);
  return { args: {}, argLocs: {} };
}

/** Static key check against the action's accepted names; every problem at its key. */
export function checkKeys(a: Args, info: ActionInfo, loc: SourceLocation, problems: Problems, label: string): void {
  if (!info.keys) return;
  for (const k of Object.keys(a.args)) {
    if (info.keys.has(k)) continue;
    if (isAnsibleArgument(info.action, k)) {
      // Ansible would run this; only this task fails, when it runs (see executor/task.ts)
      problems.warn(`${label}: ${notImplementedMessage(info.action, k)}; this task fails if it runs`, a.argLocs[k] ?? loc);
      continue;
    }
    const hint = suggest(k, info.keys) ?? (info.keys.size ? undefined : `'${info.action}' takes no arguments`);
    problems.error(`${label}: unknown argument '${k}'`, a.argLocs[k] ?? loc, hint);
  }
}
