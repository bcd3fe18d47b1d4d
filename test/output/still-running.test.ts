/**
 * A long task that prints nothing keeps a CI log alive: at each interval (30 s by default,
 * KELPIE_PROGRESS_INTERVAL in seconds) the plain output names the hosts still running it.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const playbook = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/cli/silent-command.yaml');

describe('output: a task that runs long and silent', function () {
  this.timeout(120_000);

  it('prints a line naming the hosts still running it, between the task banner and its result', async () => {
    const r = await runCli(['playbook', playbook, '-i', 'localhost,'], { env: { KELPIE_PROGRESS_INTERVAL: '1' } });
    assert.equal(r.code, 0, r.out + r.err);
    const lines = r.out.split('\n');
    const banner = lines.findIndex((l) => l.startsWith('TASK [a silent command]'));
    const result = lines.findIndex((l) => l.startsWith('changed: [localhost]'));
    const waiting = lines.findIndex((l) => /^\[a silent command\] still running after \d+s on 1 host: localhost$/.test(l));
    assert.ok(banner >= 0 && waiting > banner && result > waiting, r.out);
  });

  it('by default says nothing within the first 30 s', async () => {
    const r = await runCli(['playbook', playbook, '-i', 'localhost,'], { env: { KELPIE_PROGRESS_INTERVAL: '' } });
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out, /still running/);
  });
});
