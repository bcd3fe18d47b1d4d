/** `loop:` / `with_<lookup>:` and `loop_control:` → LoopSpec. */
import { isMap } from 'yaml';
import { isTemplate } from '../template/index.js';
import { suggest } from './diagnose.js';
import type { LoopSpec } from './model.js';
import type { Problems } from './problems.js';
import type { Entry, SourceFile } from './source.js';

const CONTROL_KEYS = ['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems', 'break_when'];

export function parseLoop(kind: string, value: unknown): LoopSpec {
  return { kind, value, loopVar: 'item' };
}

/** A variable name, or a template that renders to one when the task runs (as Ansible allows). */
function varName(v: unknown): v is string {
  return typeof v === 'string' && (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) || isTemplate(v));
}

export function parseLoopControl(loop: LoopSpec, src: SourceFile, entry: Entry, label: string, p: Problems): void {
  const n = src.resolve(entry.value);
  if (!isMap(n)) {
    p.error(`${label}: 'loop_control' must be a mapping`, entry.valueLoc, 'e.g. loop_control: { loop_var: user }');
    return;
  }
  for (const e of src.entries(n)) {
    const v = src.js(e.value);
    switch (e.key) {
      case 'loop_var':
      case 'index_var':
        if (!varName(v)) p.error(`${label}: '${e.key}' needs a variable name`, e.valueLoc);
        else if (e.key === 'loop_var') loop.loopVar = v;
        else loop.indexVar = v;
        break;
      case 'label':
        loop.label = v;
        break;
      case 'pause':
        if (typeof v === 'number' && v >= 0) loop.pause = v;
        else if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) loop.pause = Number(v);
        else p.error(`${label}: 'pause' must be a number of seconds`, e.valueLoc);
        break;
      case 'extended':
        if (typeof v !== 'boolean') p.error(`${label}: 'extended' must be true or false`, e.valueLoc);
        else loop.extended = v;
        break;
      case 'break_when':
        loop.breakWhen = Array.isArray(v) ? v : [v];
        break;
      case 'extended_allitems':
        // Accepted for compatibility: only changes what ansible_loop.allitems holds.
        break;
      default:
        p.error(`${label}: unknown loop_control option '${e.key}'`, e.keyLoc, suggest(e.key, CONTROL_KEYS) ?? `one of ${CONTROL_KEYS.join(', ')}`);
    }
  }
}
