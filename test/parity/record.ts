/** npm run parity:record [-- AREA…] [--only REGEX]: re-records goldens with real Ansible. */
import { discoverAreas } from './area.js';

const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new RegExp(argv[onlyAt + 1] ?? '') : undefined;
const wanted = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--only');
for (const area of await discoverAreas()) {
  if (wanted.length && !wanted.includes(area.name)) continue;
  if (!area.record) continue;
  console.log(`parity:record: ${area.name}`);
  await area.record({ only });
}
