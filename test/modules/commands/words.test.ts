import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { extractInlineOptions, renderArgv, renderGlob, splitWords } from '../../../src/modules/commands/words.js';

/** What /bin/sh makes of rendered words: one per line. */
function shellWords(text: string, env: Record<string, string> = {}): string[] {
  const r = spawnSync('/bin/sh', ['-c', `for w in ${text}; do printf '%s\\n' "$w"; done`], { encoding: 'utf8', env: { ...process.env, ...env } });
  return r.stdout.split('\n').slice(0, -1);
}

describe('command words', () => {
  it('splits like shlex.split(posix=True)', () => {
    assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g "h\\"i" "j\\k" ''`), ['a', 'b c', 'd e', 'f g', 'h"i', 'j\\k', '']);
    assert.deepEqual(splitWords('x"y z"w'), ['xy zw']);
    assert.throws(() => splitWords('"open'), /No closing quotation/);
  });

  it('extracts only the listed inline options and keeps the rest byte for byte', () => {
    const { rest, options } = extractInlineOptions('make  -j2 chdir=/src creates="/src/a b" msg=keep', ['chdir', 'creates']);
    assert.deepEqual(options, { chdir: '/src', creates: '/src/a b' });
    assert.equal(rest, 'make  -j2   msg=keep');
    assert.equal(extractInlineOptions('echo "chdir=/x"', ['chdir']).rest, 'echo "chdir=/x"');
  });

  it('renders argv so the shell sees exactly these words, expanding only $VAR and ~', () => {
    const words = ['a b', "it's", '$(id)', '*', '$KELPIE_T', '${KELPIE_T}x', '$KELPIE_UNSET', '~/d'];
    assert.deepEqual(shellWords(renderArgv(words, true).text, { KELPIE_T: 'v w', HOME: '/home/t' }), [
      'a b', "it's", '$(id)', '*', 'v w', 'v wx', '$KELPIE_UNSET', '/home/t/d',
    ]);
    assert.deepEqual(shellWords(renderArgv(['$HOME', '~'], false).text), ['$HOME', '~']);
  });

  it('renders creates= globs with only * and ? active', () => {
    assert.equal(renderGlob('/tmp/a b/*.txt').text, "'/tmp/a b/'*.txt");
    assert.equal(renderGlob("/x/$(rm)?").text, "'/x/$(rm)'?");
  });
});
