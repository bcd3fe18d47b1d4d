/**
 * Refuse at load time only what could never run: a name in neither kelpie's spec nor
 * Ansible's is a typo (located error before any host); an argument Ansible's module has and
 * kelpie lacks loads, is listed as a warning by --syntax-check, and fails only its task.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANSIBLE_MODULE_ARGS } from '../../src/modules/ansibleArgs.generated.js';
import { runCli } from '../helpers/runCli.js';

function playbook(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kelpie-args-')), 'pb.yaml');
  writeFileSync(file, text);
  return file;
}

const USES_EXECUTABLE = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: needs bash
      command: echo hi
      args:
        executable: /bin/bash
    - name: free form
      command: echo hi executable=/bin/bash
      ignore_errors: true
    - name: after
      debug: msg=still-running
`;

describe("Ansible's argument names: typos refused, unimplemented arguments deferred", () => {
  it('the data file comes from ansible-core (command has executable, copy has decrypt)', () => {
    assert.ok(ANSIBLE_MODULE_ARGS.command?.includes('executable'));
    assert.ok(ANSIBLE_MODULE_ARGS.copy?.includes('decrypt'));
    assert.ok(!ANSIBLE_MODULE_ARGS.command?.includes('executabel'));
  });

  it('--syntax-check passes and warns, at the argument, for each use', async () => {
    const file = playbook(USES_EXECUTABLE);
    const r = await runCli(['playbook', '--syntax-check', file, '-i', 'localhost,']);
    assert.equal(r.code, 0, r.err);
    const warnings = r.err.split('\n').filter((l) => l.startsWith('[WARNING]'));
    assert.deepEqual(warnings, [
      `[WARNING]: ${file}:7:9: task 'needs bash': argument 'executable' of Ansible's command module is not implemented by kelpie; this task fails if it runs`,
      `[WARNING]: ${file}:9:24: task 'free form': argument 'executable' of Ansible's command module is not implemented by kelpie; this task fails if it runs`,
    ]);
  });

  it('a run fails only that task, with a located message naming the argument', async () => {
    const file = playbook(USES_EXECUTABLE.replace('      args:', '      ignore_errors: true\n      args:'));
    const r = await runCli(['playbook', file, '-i', 'localhost,']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`"msg":"${file.replace(/[.]/g, '\\.')}:8:9: argument 'executable' of Ansible's command module is not implemented by kelpie"`));
    assert.match(r.out, /"msg": "still-running"/);
    assert.match(r.out, /localhost\s+: ok=3 .*failed=0 .*ignored=2/);
  });

  it('a name in neither spec is still a typo, refused before any host', async () => {
    const file = playbook(USES_EXECUTABLE.replace('executable: /bin/bash', 'executabel: /bin/bash'));
    const r = await runCli(['playbook', file, '-i', 'localhost,']);
    assert.equal(r.code, 4);
    assert.match(r.err, new RegExp(`${file.replace(/[.]/g, '\\.')}:7:9: task 'needs bash': unknown argument 'executabel'`));
    assert.doesNotMatch(r.out, /TASK/);
  });
});
