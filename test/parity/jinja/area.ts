/**
 * The `jinja` parity area: the Jinja corpus (corpus/*.yaml) through kelpie's templating,
 * compared with the goldens recorded from ansible-playbook (golden/jinja/<file>.json).
 * A case's id is `<file>/<key>`; known differences not closed yet are listed in gaps.yaml.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { CaseOutcome, ParityArea } from '../area.js';
import { judge, type Expectation } from '../verdict.js';
import { goldenPath, loadCorpus, type Case, type Outcome } from './corpus.js';
import { comparable } from './compare.js';
import { recordJinja } from './record.js';
import { runCorpusFile } from './run.js';

export const GAPS_FILE = new URL('./gaps.yaml', import.meta.url).pathname;

/** gaps.yaml: `<file>/<key>: why it still differs`. */
export function jinjaGaps(): Record<string, string> {
  return existsSync(GAPS_FILE) ? ((parse(readFileSync(GAPS_FILE, 'utf8')) as Record<string, string> | null) ?? {}) : {};
}

function expectation(c: Case, gap: string | undefined): Expectation {
  if (c.deviation) return { deviation: c.deviation, ...(c.kelpie ? { kelpie: c.kelpie } : {}) };
  return gap ? { gap } : {};
}

/** ignoreGaps: judge every case as if no gap were declared (to rewrite gaps.yaml). */
export function runJinja(only?: RegExp, ignoreGaps = false): CaseOutcome[] {
  const gaps = ignoreGaps ? {} : jinjaGaps();
  const outcomes: CaseOutcome[] = [];
  for (const file of loadCorpus()) {
    const cases = file.cases.filter((c) => !only || only.test(`${file.name}/${c.key}`));
    if (cases.length === 0) continue;
    const path = goldenPath(file.name);
    const golden = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Outcome>) : {};
    const got = runCorpusFile({ ...file, cases });
    for (const c of cases) {
      const id = `${file.name}/${c.key}`;
      const want = golden[c.key];
      if (!want) outcomes.push({ id, verdict: 'different', detail: 'no golden: npm run parity:record -- jinja' });
      else outcomes.push(judge(id, comparable(want), comparable(got[c.key]!), expectation(c, gaps[id])));
    }
  }
  return outcomes;
}

export const areas: ParityArea[] = [
  {
    name: 'jinja',
    run: async ({ only } = {}) => runJinja(only),
    record: async ({ only } = {}) => recordJinja(only),
  },
];
