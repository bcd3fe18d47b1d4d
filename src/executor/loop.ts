/** Loops: `loop:` and the with_<lookup> forms Ansible playbooks use. */
import { execSync } from 'node:child_process';
import { wildcardRegExp } from '../fnmatch.js';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { KelpieError, type SourceLocation } from '../errors.js';
import type { LoopSpec } from '../playbook/model.js';
import { asUnsafe, isTemplate, isUnsafe, markUnsafe, type Templar } from '../template/index.js';
import { indexedItems, nestedItems, sequenceItems, subelementItems, togetherItems } from '../template/listLookups.js';
import { pyStr } from '../template/pyvalue.js';

function asList(v: unknown, kind: string, loc: SourceLocation): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  throw new KelpieError('template', `Invalid data passed to '${kind}', it requires a list, got ${JSON.stringify(v)}`, { loc });
}

function flattenOnce(xs: unknown[]): unknown[] {
  return xs.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

/** with_fileglob: files (not directories) matching each pattern, looked up like `src:` (files/ first). */
function fileglob(patterns: unknown[], searchDirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const pat of patterns.map(String)) {
    const dirs = isAbsolute(pat) ? [dirname(pat)] : searchDirs.flatMap((d) => [join(d, 'files', dirname(pat)), join(d, dirname(pat))]);
    const re = wildcardRegExp(basename(pat));
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const hits = names.filter((n) => re.test(n) && statSync(join(dir, n), { throwIfNoEntry: false })?.isFile()).sort();
      out.push(...hits.map((n) => join(dir, n)));
      if (hits.length) break;
    }
  }
  return out;
}

/**
 * The loop's items. When they were rendered from host data (or come from a lookup, as
 * with_lines and with_fileglob do) the list is marked unsafe and loopVars keeps each item so.
 */
export function resolveLoop(templar: Templar, loop: LoopSpec, vars: Record<string, unknown>, loc: SourceLocation, searchDirs: readonly string[] = []): unknown[] {
  let fromHost = loop.kind === 'with_lines' || loop.kind === 'with_fileglob';
  const v = templar.renderDeep(loop.value, vars, loc, () => (fromHost = true));
  const items = itemsOf(loop, v, loc, searchDirs);
  return fromHost ? markUnsafe(items) : items;
}

function itemsOf(loop: LoopSpec, v: unknown, loc: SourceLocation, searchDirs: readonly string[]): unknown[] {
  switch (loop.kind) {
    case 'loop':
      if (!Array.isArray(v)) throw new KelpieError('template', `Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(v)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`, { loc });
      return [...v];
    case 'with_items':
      return flattenOnce(asList(v, loop.kind, loc));
    case 'with_list':
      return asList(v, loop.kind, loc);
    case 'with_flattened':
      return asList(v, loop.kind, loc).flat(Infinity);
    case 'with_indexed_items':
      return indexedItems(asList(v, loop.kind, loc));
    case 'with_dict': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new KelpieError('template', 'with_dict expects a dict', { loc });
      return Object.entries(v).map(([key, value]) => ({ key, value }));
    }
    case 'with_sequence':
      // kelpie also takes the keys as a mapping (`with_sequence: {start: 1, end: 3}`)
      return (v && typeof v === 'object' && !Array.isArray(v) ? [v] : asList(v, loop.kind, loc)).flatMap((term) => sequenceItems(term as string | Record<string, unknown>));
    case 'with_together':
      return togetherItems(asList(v, loop.kind, loc).map((l) => asList(l, loop.kind, loc)));
    case 'with_nested':
    case 'with_cartesian':
      return nestedItems(asList(v, loop.kind, loc).map((l) => asList(l, loop.kind, loc)));
    case 'with_subelements': {
      const [list, key, flags] = asList(v, loop.kind, loc);
      return subelementItems(list, key, flags);
    }
    case 'with_fileglob':
      return fileglob(asList(v, loop.kind, loc), searchDirs);
    case 'with_lines':
      // like lookup('pipe'): the command runs on the controller; playbooks are trusted input
      return asList(v, loop.kind, loc).flatMap((cmd) => execSync(String(cmd), { encoding: 'utf8', shell: '/bin/sh' }).split('\n').filter((l) => l !== ''));
    default:
      throw new KelpieError('config', `unsupported loop '${loop.kind}'`, { loc, hint: 'use loop: with a filter' });
  }
}

/** loop_var / index_var may be templates (`loop_var: "{{ name }}"`): rendered for this host. */
export function withLoopControl(templar: Templar, loop: LoopSpec, vars: Record<string, unknown>, loc: SourceLocation): LoopSpec {
  const name = (key: string, v: string): string => {
    if (!isTemplate(v)) return v;
    const r = String(templar.render(v, vars, loc));
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(r)) throw new KelpieError('config', `'${key}' must be a variable name, got '${r}' (from '${v}')`, { loc });
    return r;
  };
  if (!isTemplate(loop.loopVar) && !(loop.indexVar && isTemplate(loop.indexVar))) return loop;
  return { ...loop, loopVar: name('loop_var', loop.loopVar), ...(loop.indexVar ? { indexVar: name('index_var', loop.indexVar) } : {}) };
}

export function loopVars(loop: LoopSpec, item: unknown, index: number, items: unknown[]): Record<string, unknown> {
  const fromHost = isUnsafe(items);
  const v: Record<string, unknown> = { [loop.loopVar]: fromHost ? asUnsafe(item) : item, ansible_loop_var: loop.loopVar };
  if (loop.indexVar) v[loop.indexVar] = index;
  const info: Record<string, unknown> = {
    index: index + 1,
    index0: index,
    first: index === 0,
    last: index === items.length - 1,
    length: items.length,
    revindex: items.length - index,
    revindex0: items.length - index - 1,
    allitems: items,
    ...(index > 0 ? { previtem: items[index - 1] } : {}),
    ...(index < items.length - 1 ? { nextitem: items[index + 1] } : {}),
  };
  // Ansible defines ansible_loop only with loop_control.extended
  if (loop.extended) v.ansible_loop = fromHost ? markUnsafe(info) : info;
  return v;
}

/** One loop item's result with the keys Ansible adds to it: the loop (and index) variable, ansible_loop. */
export function withItemKeys(r: Record<string, unknown>, loop: LoopSpec, item: unknown, index: number, itemVars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r, [loop.loopVar]: item, ansible_loop_var: loop.loopVar };
  if (loop.indexVar) Object.assign(out, { [loop.indexVar]: index, ansible_index_var: loop.indexVar });
  if (loop.extended) out.ansible_loop = itemVars.ansible_loop;
  return out;
}
