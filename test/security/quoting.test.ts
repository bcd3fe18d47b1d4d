/**
 * The one quoting helper (src/shell/quote.ts): every value kelpie puts into a remote command
 * goes through `sh`, so a value a hostile host (or a careless variable) supplies reaches the
 * program as one literal word. Checked by running the quoted text through the real shells a
 * host has (dash as /bin/sh, bash), not by comparing strings.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sh, shellJoin, type ShellCommand } from '../../src/shell/quote.js';

const HOSTILE = [
  '',
  ' ',
  'plain',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/kelpie-quote-pwned)',
  '`touch /tmp/kelpie-quote-pwned`',
  '; touch /tmp/kelpie-quote-pwned',
  '| touch /tmp/kelpie-quote-pwned',
  '&& touch /tmp/kelpie-quote-pwned &',
  '$HOME ${IFS} $((1+1)) $0 $@',
  "{{ lookup('pipe', 'touch /tmp/kelpie-quote-pwned') }}",
  '{% raw %}{# c #}',
  'a\nb\n; touch /tmp/kelpie-quote-pwned',
  '\t\r\\\\ \\',
  '-n',
  '--help',
  '*',
  '~root',
  '!$ !!',
  'ünïcødé ✓ 日本',
  "'\\''",
];

const shells = ['/bin/sh', '/bin/bash'].filter((s) => existsSync(s));

function run(shell: string, cmd: ShellCommand): string {
  return execFileSync(shell, ['-c', cmd.text], { encoding: 'utf8', cwd: '/' });
}

describe('security: the one shell-quoting helper', () => {
  before(() => {
    execFileSync('rm', ['-f', '/tmp/kelpie-quote-pwned']);
  });

  for (const shell of shells) {
    it(`${shell}: every hostile value arrives as exactly one literal word`, () => {
      for (const v of HOSTILE) assert.equal(run(shell, sh`printf '%s' ${v}`), v, JSON.stringify(v));
      const words = run(shell, sh`printf '%s\\0' ${HOSTILE}`).split('\0').slice(0, -1);
      assert.deepEqual(words, HOSTILE, 'an array expands to one word per element');
      assert.equal(run(shell, shellJoin([sh`printf '%s' ${HOSTILE[6]!}`, sh`printf '|%s' ${HOSTILE[8]!}`], '&&')), `${HOSTILE[6]}|${HOSTILE[8]}`);
      assert.equal(existsSync('/tmp/kelpie-quote-pwned'), false, 'a shell ran a value');
    });
  }

  it('a plain string is not a command: the type system refuses it', () => {
    // @ts-expect-error a raw string cannot stand in for a ShellCommand (tsc fails if it could)
    const raw: ShellCommand = 'rm -rf /tmp/kelpie-quote-pwned';
    assert.equal(typeof raw, 'string');
    assert.ok(shells.length >= 1);
  });
});
