import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminalMode } from '../../src/cli/terminal.js';
import { runCli } from '../helpers/runCli.js';

const ok = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/cli/ok.yaml');
const ANSI = /\u001b\[/;

describe('colour and TTY rules', () => {
  it('a terminal gets colour and the live view unless env or --color say otherwise', () => {
    assert.deepEqual(terminalMode({}, true), { color: true, live: true });
    for (const env of [{ NO_COLOR: '1' }, { TERM: 'dumb' }, { CI: 'false' }, { CI: '' }, { GITHUB_ACTIONS: 'true' }]) {
      assert.deepEqual(terminalMode(env, true), { color: false, live: false }, JSON.stringify(env));
    }
    assert.deepEqual(terminalMode({}, true, 'never'), { color: false, live: false });
    assert.deepEqual(terminalMode({ NO_COLOR: '' }, true), { color: true, live: true }, 'an empty NO_COLOR is not set');
  });

  it('a pipe gets plain lines without colour unless FORCE_COLOR or --color=always', () => {
    assert.deepEqual(terminalMode({}, false), { color: false, live: false });
    assert.deepEqual(terminalMode({ FORCE_COLOR: '1', CI: 'true' }, false), { color: true, live: false });
    assert.deepEqual(terminalMode({ FORCE_COLOR: '0' }, true), { color: false, live: false });
    assert.deepEqual(terminalMode({ NO_COLOR: '1' }, false, 'always'), { color: true, live: false });
    assert.deepEqual(terminalMode({ CI: 'true' }, true, 'always'), { color: true, live: false }, 'CI never gets the live view');
  });

  it('the CLI follows them: ANSI codes only when colour is on', async () => {
    const plain = await runCli(['playbook', ok, '-i', 'localhost,'], { tty: true, env: { NO_COLOR: '1' } });
    assert.equal(plain.code, 0);
    assert.doesNotMatch(plain.out, ANSI);
    assert.match(plain.out, /ok: \[localhost\]/);
    const dumb = await runCli(['playbook', ok, '-i', 'localhost,'], { tty: true, env: { TERM: 'dumb' } });
    assert.doesNotMatch(dumb.out, ANSI);
    const forced = await runCli(['playbook', ok, '-i', 'localhost,', '--color=always']);
    assert.match(forced.out, ANSI);
    const bad = await runCli(['playbook', ok, '-i', 'localhost,', '--color', 'sometimes']);
    assert.equal(bad.code, 5);
    assert.match(bad.err, /--color must be one of auto, always, never, got 'sometimes'/);
  });
});
