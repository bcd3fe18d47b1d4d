/**
 * A --limit or play pattern that leaves no host: the exit code and the messages that
 * ansible-playbook gives (recorded in test/fixtures/ansible-golden/no-hosts by record.sh).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/ansible-golden/no-hosts');

/** The lines both tools must share: warnings, errors, play banners and the skip notice. */
function verdict(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/ \**$/, ''))
    .filter((l) => /^(\[WARNING\]|ERROR!|skipping:|PLAY \[|rc=)/.test(l))
    .sort();
}

const CASES: Record<string, string[]> = {
  'limit-unknown': ['web.yaml', '--limit', 'nosuch'],
  'limit-empty-group': ['web.yaml', '--limit', 'db'],
  'limit-excludes-all': ['web.yaml', '--limit', 'w*,!w1'],
  'play-pattern': ['play-pattern.yaml'],
};

describe('no hosts to target: as ansible-playbook', () => {
  for (const [name, args] of Object.entries(CASES)) {
    it(`${name}: ${args.join(' ')}`, async () => {
      const golden = readFileSync(join(DIR, `${name}.golden`), 'utf8');
      const r = await runCli(['playbook', '-i', join(DIR, 'inventory.ini'), ...args.map((a) => (a.endsWith('.yaml') ? join(DIR, a) : a))]);
      assert.deepEqual(verdict(`${r.err}\n${r.out}\nrc=${r.code}`), verdict(golden));
    });
  }
});
