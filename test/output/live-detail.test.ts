/**
 * The live view (a terminal outside CI) must not swallow what the plain output shows beyond
 * a status: debug's message, loop items, check mode's caveats, the -v result.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTerminal } from '../helpers/onTerminal.js';

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
