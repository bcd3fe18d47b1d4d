/**
 * SIGINT and SIGTERM on the controller, with a command running on localhost: the command's
 * processes are killed, the JSON report is written, the recap is printed, and the exit
 * status is Ansible's (99 for SIGINT; SIGTERM kills ansible-playbook, 143). The recorded
 * ansible-playbook runs are in golden/ansible-*.txt.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCli } from '../helpers/spawnCli.js';

const here = dirname(fileURLToPath(import.meta.url));

function processesMatching(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function golden(name: string): string {
  return readFileSync(join(here, 'golden', name), 'utf8');
}

for (const [signal, code, words] of [
  ['SIGINT', 99, /\[ERROR\]: User interrupted execution/],
  ['SIGTERM', 143, /\[ERROR\]: Terminated by SIGTERM/],
] as const) {
  describe(`faults: ${signal} while a command runs on localhost`, function () {
    this.timeout(180_000);

    it(`kills the command, prints the recap, writes the report, exits ${code} as ansible-playbook does`, async () => {
      assert.match(golden(`ansible-${signal.toLowerCase()}.txt`), new RegExp(`^rc=${code}$`, 'm'), 'the golden records the same exit status');
      const marker = String(process.pid) + String(Date.now() % 100000);
      const json = join(mkdtempSync(join(tmpdir(), 'kelpie-int-')), 'report.json');
      const cli = spawnCli(['playbook', join(here, 'fixtures/sleep-localhost.yaml'), '-i', 'localhost,', '-e', `marker=${marker}`, '--json', json]);
      await cli.waitFor(/TASK \[long silent command\]/);
      const pattern = `sleep 3141\\.${marker}`;
      for (let i = 0; i < 100 && !processesMatching(pattern).length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(processesMatching(pattern).length, 1, 'the command is running');
      cli.child.kill(signal);
      const status = await cli.exited;
      const out = cli.output();
      assert.equal(status, code, out);
      assert.match(out, words);
      assert.match(out, /PLAY RECAP/);
      assert.doesNotMatch(out, /never reached/, 'no task starts after the signal');
      assert.deepEqual(processesMatching(pattern), [], 'the remote command was killed');
      const report = JSON.parse(readFileSync(json, 'utf8')) as { exit_code: number; interrupted: string; plays: { tasks: { name: string; hosts: Record<string, { interrupted?: boolean }> }[] }[] };
      assert.equal(report.exit_code, code);
      assert.equal(report.interrupted, signal);
      assert.deepEqual(report.plays[0]!.tasks.map((t) => [t.name, t.hosts.localhost?.interrupted]), [['long silent command', true]]);
    });
  });
}

describe('faults: a second signal', function () {
  this.timeout(180_000);
  it('ends the process at once, without waiting for the first signal\'s clean stop', async () => {
    const marker = String(process.pid) + String((Date.now() + 7) % 100000);
    const json = join(mkdtempSync(join(tmpdir(), 'kelpie-int-')), 'report.json');
    // a command that ignores TERM: the clean stop would wait seconds before it KILLs it
    const cli = spawnCli(['playbook', join(here, 'fixtures/stubborn-localhost.yaml'), '-i', 'localhost,', '-e', `marker=${marker}`, '--json', json]);
    await cli.waitFor(/TASK \[a command that ignores SIGTERM\]/);
    const pattern = `sleep 3142\\.${marker}`;
    for (let i = 0; i < 100 && !processesMatching(pattern).length; i++) await new Promise((r) => setTimeout(r, 100));
    try {
      cli.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 300));
      cli.child.kill('SIGINT');
      const status = await cli.exited;
      assert.equal(status, 99, cli.output());
      assert.doesNotMatch(cli.output(), /PLAY RECAP/, cli.output());
    } finally {
      // what the abandoned clean stop did not get to kill (by its pid)
      for (const pid of processesMatching(pattern)) process.kill(Number(pid), 'SIGKILL');
    }
  });
});
