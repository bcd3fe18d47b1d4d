/**
 * How an outcome is normalized (recording) and what of it is compared (kelpie vs the golden). Only the
 * throwaway directory, the per-run omit placeholder and the memory address in the repr of a
 * built-in method (`<built-in method items of dict object at 0x…>`) are normalized. Errors compare by
 * their Jinja/Python message: Ansible wraps it in prose that quotes the playbook's
 * offending line, where kelpie points at file:line:col instead (docs/deviations.md).
 */
import type { Outcome } from './corpus.js';

const OMIT_RE = /__omit_place_holder__[0-9a-f]+/g;
const ADDRESS_RE = /(<built-in method \w+ of \w+ object at )0x[0-9a-f]+>/g;

function scrub(v: unknown, dir: string): unknown {
  if (typeof v === 'string') return v.split(dir).join('<tmp>').replace(OMIT_RE, '__omit_place_holder__').replace(ADDRESS_RE, '$10x…>');
  if (Array.isArray(v)) return v.map((x) => scrub(x, dir));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k, dir) as string, scrub(x, dir)]));
  return v;
}

export function normalizeOutcome(o: Outcome, dir: string): Outcome {
  return scrub(o, dir) as Outcome;
}

/** `A. A` (Ansible repeats the Jinja message after its own summary) → `A`. */
function undouble(s: string): string {
  const m = /^([\s\S]+?)(?:\. \1)+$/.exec(s);
  return m ? m[1]! : s;
}

/** The Jinja/Python message inside Ansible's or kelpie's wording of a template failure. */
export function errorCore(o: Outcome): string {
  if (o.exception && !o.error) return o.exception.trim();
  // the template module names the exception class first (`AnsibleError: template error …`)
  let s = (o.error ?? '').split('\n\nThe error appears to be in')[0]!.trim().replace(/^Ansible\w*: /, '');
  let m = /^template error while templating string: ([\s\S]*?)\. String: [\s\S]*$/.exec(s);
  if (m) s = m[1]!;
  m = /^Unexpected templating type error occurred on \([\s\S]*?\): ([\s\S]*)$/.exec(s);
  if (m) s = m[1]!;
  m = /The error was: ([\s\S]*)$/.exec(s);
  if (m) s = m[1]!;
  // the template module names the exception class; a nested variable's failure names its template
  s = undouble(s.trim().replace(/^Ansible\w*: /, ''));
  return undouble(s.replace(/^\{\{[\s\S]*?\}\}: /, ''));
}

/** What is compared: the value with its types, or the error's core message. */
export function comparable(o: Outcome): Record<string, unknown> {
  if (o.error !== undefined || o.exception !== undefined) return { error: errorCore(o) };
  return { value: o.value, type: o.type, ...(o.jtype !== undefined ? { jtype: o.jtype } : {}) };
}
