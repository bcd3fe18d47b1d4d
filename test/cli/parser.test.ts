import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const okPlaybook = join(fixtures, 'cli/ok.yaml');

describe('cli: one parser, one error style for every command', () => {
  it('an unknown command gets a did-you-mean and exit 5', async () => {
    const r = await runCli(['plybook']);
    assert.equal(r.code, 5);
    assert.equal(r.err, "ERROR! unknown command 'plybook' (did you mean 'playbook'?)\n");
  });

  it('bad options of every command are worded alike and exit 5', async () => {
    for (const argv of [['inventory', '--lst'], ['facts', 'all', '--packges'], ['lab', 'up', '3', '--nme', 'x']]) {
      const r = await runCli(argv);
      assert.equal(r.code, 5, argv.join(' '));
      assert.match(r.err, /^ERROR! unknown option '--\w+' \(did you mean '--\w+'\?\)\n$/, argv.join(' '));
    }
  });

  it('a missing option value or a bad number is a bad option (exit 5)', async () => {
    const noValue = await runCli(['playbook', okPlaybook, '-i']);
    assert.equal(noValue.code, 5);
    assert.match(noValue.err, /^ERROR! option '-i, --inventory <path>' argument missing\n$/);
    const badForks = await runCli(['playbook', okPlaybook, '-i', 'localhost,', '--forks', 'many']);
    assert.equal(badForks.code, 5);
    assert.equal(badForks.err, "ERROR! --forks must be a positive integer, got 'many'\n");
  });

  it('no command prints the overview and exits 5; --version exits 0', async () => {
    const none = await runCli([]);
    assert.equal(none.code, 5);
    assert.match(none.err, /usage: kelpie COMMAND/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.out, 'kelpie 0.1.0\n');
  });

  it('-vvv counts and shows the stack trace; fewer v do not', async () => {
    const yamlError = join(fixtures, 'cli/yaml-error.yaml');
    const quiet = await runCli(['playbook', yamlError, '-i', 'localhost,', '-vv']);
    assert.doesNotMatch(quiet.err, /\n\s+at /);
    const loud = await runCli(['playbook', yamlError, '-i', 'localhost,', '-v', '-vv']);
    assert.equal(loud.code, 4);
    assert.match(loud.err, /\n\s+at /);
  });

  it("Ansible's second names (--inventory-file, -T) still work, and -i repeats", async () => {
    const r = await runCli(['playbook', okPlaybook, '--inventory-file', 'localhost,', '-i', 'otherhost,', '--list-hosts', '-T', '5']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /hosts \(1\):\n\s+localhost\n/);
  });
});
