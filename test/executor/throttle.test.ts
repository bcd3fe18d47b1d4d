/**
 * throttle: at most N hosts run a task at once. Six local hosts count how many of them are
 * inside the task at the same moment (a shared directory): the limit is proven by the
 * overlap they saw, not by how long the run took.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/executor/throttle');

async function mostSeenTogether(strategy: string, extra: string[]): Promise<number> {
  const room = mkdtempSync(join(tmpdir(), 'kelpie-throttle-'));
  const r = await runCli(['playbook', join(dir, `overlap-${strategy}.yaml`), '-i', join(dir, 'inventory.ini'), '-f', '6', '-e', `room=${room}`, ...extra]);
  assert.equal(r.code, 0, r.out + r.err);
  const seen = readdirSync(room).filter((f) => f.startsWith('seen.'));
  assert.equal(seen.length, 6, 'every host ran the task');
  return Math.max(...seen.map((f) => Number(readFileSync(join(room, f), 'utf8'))));
}

describe('throttle', function () {
  this.timeout(300_000);

  it('without it, the six hosts run the task together (the check can see overlap)', async () => {
    const most = await mostSeenTogether('linear', ['-e', 'window=60']);
    assert.ok(most >= 3, `saw at most ${most} together`);
  });

  for (const strategy of ['linear', 'free']) {
    it(`throttle: 2 lets at most 2 hosts in at once (${strategy})`, async () => {
      assert.equal(await mostSeenTogether(strategy, ['-e', 'window=2', '-e', 'limit=2']), 2);
    });
  }

  it('a throttle that is not a whole number is a located error before any host runs', async () => {
    const r = await runCli(['playbook', join(dir, 'bad-throttle.yaml'), '-i', join(dir, 'inventory.ini')]);
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.err, /bad-throttle\.yaml:5:17: .*'throttle' must be a whole number/);
  });
});
