/**
 * npm run parity [-- AREA…] [--only REGEX] [-v] [--write-gaps]: runs every area's corpus with kelpie against the
 * committed Ansible goldens and prints `parity: N/M cases identical` per area and in total.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverAreas, parityRoot, summaryLine, type CaseOutcome } from './area.js';


/**
 * --write-gaps AREA: lists every case of AREA that differs (known gaps ignored) in
 * test/parity/gaps.yaml with its first differing path, replacing that area's entries.
 */
function writeGaps(area: string, outcomes: CaseOutcome[]): void {
  const file = join(parityRoot, 'gaps.yaml');
  const kept = readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith(`${area}/`));
  const added = outcomes.filter((o) => o.verdict === 'different').map((o) => `${area}/${o.id}: ${JSON.stringify((o.detail ?? '').split('\n')[0]!.slice(0, 300))}`);
  writeFileSync(file, [...kept.filter((l, i) => l !== '' || i < kept.length - 1), ...added, ''].join('\n'));
}

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('-v');
  const write = argv.includes('--write-gaps');
  if (write) process.env.KELPIE_PARITY_IGNORE_GAPS = '1';
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new RegExp(argv[onlyAt + 1] ?? '') : undefined;
  const wanted = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--only');
  const areas = (await discoverAreas()).filter((a) => wanted.length === 0 || wanted.includes(a.name));
  const all: CaseOutcome[] = [];
  for (const area of areas) {
    const outcomes = await area.run({ only });
    if (write) writeGaps(area.name, outcomes);
    all.push(...outcomes);
    console.log(summaryLine(area.name, outcomes));
    for (const o of outcomes.filter((x) => x.verdict === 'different' || (verbose && x.verdict !== 'identical'))) {
      console.log(`  ${o.verdict} ${area.name}/${o.id}: ${(o.detail ?? '').split('\n').join('\n    ')}`);
    }
  }
  const identical = all.filter((o) => o.verdict === 'identical').length;
  const pct = all.length ? ((100 * identical) / all.length).toFixed(1) : '0.0';
  console.log(`parity: ${identical}/${all.length} cases identical (${pct}%)`);
  return all.some((o) => o.verdict === 'different') ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
