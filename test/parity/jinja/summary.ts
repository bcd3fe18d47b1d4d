/**
 * Compares kelpie against every Jinja golden. Used by the mocha test (jinja.test.ts) and
 * by the parity summary:
 *
 *   npm run parity:jinja [-- --verbose] [-- --write-known]
 *
 * prints `parity: jinja N/M cases identical`; --verbose lists each difference,
 * --write-known rewrites known-mismatches.json from the current differences.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { goldenPath, loadCorpus, type Outcome } from './corpus.js';
import { describe as show, sameOutcome } from './compare.js';
import { runCorpusFile } from './run.js';

export const KNOWN_MISMATCHES = new URL('./known-mismatches.json', import.meta.url).pathname;

export interface Mismatch {
  file: string;
  key: string;
  golden: Outcome | undefined;
  got: Outcome;
}

export interface JinjaParity {
  total: number;
  identical: number;
  mismatches: Mismatch[];
}

export function jinjaParity(): JinjaParity {
  const result: JinjaParity = { total: 0, identical: 0, mismatches: [] };
  for (const file of loadCorpus()) {
    const path = goldenPath(file.name);
    const golden = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Outcome>) : {};
    const got = runCorpusFile(file);
    for (const c of file.cases) {
      result.total++;
      const want = golden[c.key];
      if (want && sameOutcome(want, got[c.key]!)) result.identical++;
      else result.mismatches.push({ file: file.name, key: c.key, golden: want, got: got[c.key]! });
    }
  }
  return result;
}

/** known-mismatches.json: corpus file name → case keys kelpie does not match yet. */
export function knownMismatches(): Record<string, string[]> {
  return existsSync(KNOWN_MISMATCHES) ? (JSON.parse(readFileSync(KNOWN_MISMATCHES, 'utf8')) as Record<string, string[]>) : {};
}

export function formatMismatch(m: Mismatch): string {
  return `${m.file} ${m.key}\n    ansible: ${m.golden ? show(m.golden) : '(no golden: run npm run parity:record:jinja)'}\n    kelpie:  ${show(m.got)}`;
}

function main(): void {
  const p = jinjaParity();
  if (process.argv.includes('--verbose')) for (const m of p.mismatches) console.log(formatMismatch(m));
  if (process.argv.includes('--write-known')) {
    const known: Record<string, string[]> = {};
    for (const m of p.mismatches) (known[m.file] ??= []).push(m.key);
    writeFileSync(KNOWN_MISMATCHES, JSON.stringify(known, null, 1) + '\n');
  }
  const pct = p.total === 0 ? 0 : (100 * p.identical) / p.total;
  console.log(`parity: jinja ${p.identical}/${p.total} cases identical (${pct.toFixed(1)}%)`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) main();
