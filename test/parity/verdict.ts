/**
 * Compares one case's normalized kelpie output with its Ansible golden, honouring a declared
 * deviation (documented in docs/deviations.md) or known gap.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parityRoot, type CaseOutcome } from './area.js';

export interface Expectation {
  /** id of a `## <id>` heading in docs/deviations.md */
  deviation?: string;
  /** for a deviation: dotted paths into the output and kelpie's value there (Ansible's is in the golden) */
  kelpie?: Record<string, unknown>;
  /** a known difference not closed yet: why */
  gap?: string;
}

let gaps: Record<string, string> | undefined;
/** test/parity/gaps.yaml: `<area>/<case id>: why it still differs`, for differences not closed yet. */
export function knownGap(area: string, id: string): string | undefined {
  if (process.env.KELPIE_PARITY_IGNORE_GAPS) return undefined;
  gaps ??= (parse(readFileSync(join(parityRoot, 'gaps.yaml'), 'utf8')) as Record<string, string> | null) ?? {};
  return gaps[`${area}/${id}`];
}

let documented: Set<string> | undefined;
export function documentedDeviations(): Set<string> {
  if (!documented) {
    const text = readFileSync(join(parityRoot, '../../docs/deviations.md'), 'utf8');
    documented = new Set([...text.matchAll(/^## ([\w.-]+)/gm)].map((m) => m[1]!));
  }
  return documented;
}

type Json = unknown;

/** Paths (dotted) where two JSON values differ, at most `limit`. */
export function differingPaths(a: Json, b: Json, path = '', out: string[] = [], limit = 8): string[] {
  if (out.length >= limit || isDeepStrictEqual(a, b)) return out;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    out.push(`${path || '.'}: ansible ${JSON.stringify(a)?.slice(0, 200)} / kelpie ${JSON.stringify(b)?.slice(0, 200)}`);
    return out;
  }
  const ao = a as Record<string, Json>;
  const bo = b as Record<string, Json>;
  for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])]) {
    differingPaths(ao[k], bo[k], path ? `${path}.${k}` : k, out, limit);
  }
  return out;
}

function getPath(v: Json, path: string): Json {
  return path.split('.').reduce<Json>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, Json>)[k] : undefined), v);
}

function withPath(v: Json, path: string, value: Json): Json {
  const [head, ...rest] = path.split('.');
  const copy: Record<string, Json> = Array.isArray(v) ? ([...v] as unknown as Record<string, Json>) : { ...(v as Record<string, Json>) };
  copy[head!] = rest.length ? withPath(copy[head!], rest.join('.'), value) : value;
  return copy;
}

export function judge(id: string, golden: Json, actual: Json, expect: Expectation = {}): CaseOutcome {
  const diffs = differingPaths(golden, actual);
  if (expect.deviation) {
    if (!documentedDeviations().has(expect.deviation)) return { id, verdict: 'different', detail: `deviation '${expect.deviation}' is not documented in docs/deviations.md` };
    const stated = Object.entries(expect.kelpie ?? {});
    if (stated.length === 0) return { id, verdict: 'different', detail: `deviation '${expect.deviation}' states no kelpie value` };
    const wrong = stated.filter(([p, v]) => !isDeepStrictEqual(getPath(actual, p), v)).map(([p]) => `${p}: kelpie ${JSON.stringify(getPath(actual, p))}`);
    const sameAsAnsible = stated.filter(([p]) => isDeepStrictEqual(getPath(actual, p), getPath(golden, p))).map(([p]) => p);
    const rest = differingPaths(golden, stated.reduce<Json>((acc, [p]) => withPath(acc, p, getPath(golden, p)), actual));
    if (wrong.length || rest.length || sameAsAnsible.length) {
      return { id, verdict: 'different', detail: `deviation '${expect.deviation}' does not hold: ${[...wrong, ...rest, ...sameAsAnsible.map((p) => `${p} no longer differs`)].join('; ')}` };
    }
    return { id, verdict: 'deviation', detail: expect.deviation };
  }
  if (expect.gap) {
    return diffs.length ? { id, verdict: 'gap', detail: `${expect.gap} (${diffs[0]})` } : { id, verdict: 'different', detail: `gap '${expect.gap}' is closed: remove it from the case` };
  }
  return diffs.length ? { id, verdict: 'different', detail: diffs.join('\n') } : { id, verdict: 'identical' };
}
