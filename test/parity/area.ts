/**
 * The parity suite's common ground: every corpus (an "area": modules, language, jinja …)
 * turns its cases into outcomes the same way, so one summary and one mocha test cover them all.
 * An area lives in test/parity/<dir>/area.ts and exports `areas: ParityArea[]`; nothing else
 * needs registering (see README.md).
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const parityRoot = dirname(fileURLToPath(import.meta.url));

/**
 * identical: kelpie's normalized output equals Ansible's golden.
 * deviation: differs exactly as a documented deviation (docs/deviations.md) states.
 * gap: a known, not yet closed difference, declared on the case; it must still differ.
 * different: anything else, a regression (or a declared gap/deviation that no longer holds).
 */
export type Verdict = 'identical' | 'deviation' | 'gap' | 'different';

export interface CaseOutcome {
  id: string;
  verdict: Verdict;
  /** why it is not identical: the differing paths, the deviation id or the gap's reason */
  detail?: string;
}

export interface ParityArea {
  name: string;
  /** runs the area's cases with kelpie and compares against the committed goldens */
  run(opts?: { only?: RegExp }): Promise<CaseOutcome[]>;
  /**
   * the area runs on lab hosts: parity.test.ts leaves it to this test file (scheduled with
   * the other lab files), `npm run parity` and `parity:record` start its lab themselves
   */
  labTest?: string;
  /** re-records the goldens with real Ansible (npm run parity:record) */
  record?(opts?: { only?: RegExp }): Promise<void>;
}

export async function discoverAreas(): Promise<ParityArea[]> {
  const found: ParityArea[] = [];
  for (const dir of readdirSync(parityRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = join(parityRoot, dir, 'area.ts');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { areas?: ParityArea[] };
    found.push(...(mod.areas ?? []));
  }
  return found;
}

export function summaryLine(name: string, outcomes: CaseOutcome[]): string {
  const count = (v: CaseOutcome['verdict']): number => outcomes.filter((o) => o.verdict === v).length;
  const extra = [`${count('deviation')} documented deviations`, `${count('gap')} known gaps`, `${count('different')} different`];
  return `parity: ${name}: ${count('identical')}/${outcomes.length} cases identical (${extra.join(', ')})`;
}
