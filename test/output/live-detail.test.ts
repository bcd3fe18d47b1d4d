/**
 * The live view (a terminal outside CI) must not swallow what the plain output shows beyond
 * a status: debug's message, loop items, check mode's caveats, the -v result.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/run.js';

const LIVE_VIEW_ENV = { ...process.env, CI: undefined, GITHUB_ACTIONS: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' };

/** Runs the CLI as on a terminal; listr2 draws on process.stdout, so that is captured too. */
async function onTerminal(argv: string[], cwd: string): Promise<{ code: number; screen: string }> {
  let screen = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    screen += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(argv, { out: (s) => void (screen += s), err: (s) => void (screen += s), cwd, env: LIVE_VIEW_ENV, tty: true, stdin: process.stdin });
    return { code, screen };
  } finally {
    process.stdout.write = write;
  }
}

describe('live view: what plain output shows beyond a status stays on screen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-live-'));
  const pb = join(dir, 'pb.yml');
  writeFileSync(
    pb,
    `- hosts: localhost
  gather_facts: false
  vars: {greeting: hello-from-debug}
  tasks:
    - debug: {msg: "{{ greeting }}"}
    - debug: {var: greeting}
    - command: echo {{ item }}
      loop: [first-item, second-item]
    - command: echo quiet-result
`,
  );

  it('debug messages, debug vars and loop items are printed', async () => {
    const r = await onTerminal(['playbook', pb], dir);
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /"msg": "hello-from-debug"/);
    assert.match(r.screen, /"greeting": "hello-from-debug"/);
    assert.match(r.screen, /\(item=first-item\)/);
    assert.match(r.screen, /\(item=second-item\)/);
    assert.doesNotMatch(r.screen, /quiet-result/, 'without -v a command result is only its status');
  });

  it('-v prints each result', async () => {
    const r = await onTerminal(['playbook', pb, '-v'], dir);
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /"stdout":"quiet-result"|"stdout": "quiet-result"/);
  });
});
