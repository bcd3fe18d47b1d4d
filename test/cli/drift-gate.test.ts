import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';

describe('drift gate: --check --exit-changed', () => {
  it('exits 3 while changes are pending, 0 once nothing would change; failures keep 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-drift-'));
    const pb = join(dir, 'pb.yaml');
    writeFileSync(pb, `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/motd", content: "hello\\n" }\n`);
    const gate = (): Promise<{ code: number }> => runCli(['playbook', pb, '-i', 'localhost,', '--check', '--exit-changed']);
    assert.equal((await gate()).code, 3);
    assert.equal((await runCli(['playbook', pb, '-i', 'localhost,', '--check'])).code, 0, 'without the flag a pending change exits 0');
    assert.equal((await runCli(['playbook', pb, '-i', 'localhost,'])).code, 0);
    assert.equal((await gate()).code, 0);
    const failing = join(dir, 'fail.yaml');
    writeFileSync(failing, `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/other", content: "x\\n" }\n    - fail: { msg: broken }\n`);
    assert.equal((await runCli(['playbook', failing, '-i', 'localhost,', '--check', '--exit-changed'])).code, 2);
  });

  it('an unreachable host keeps 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-drift-'));
    writeFileSync(join(dir, 'inv.yaml'), 'all:\n  hosts:\n    gone: { ansible_host: 127.0.0.1, ansible_port: 1 }\n');
    writeFileSync(join(dir, 'pb.yaml'), '- hosts: all\n  gather_facts: true\n  tasks:\n    - command: "true"\n');
    const r = await runCli(['playbook', join(dir, 'pb.yaml'), '-i', join(dir, 'inv.yaml'), '--check', '--exit-changed', '-T', '2']);
    assert.equal(r.code, 4, r.out + r.err);
  });
});
