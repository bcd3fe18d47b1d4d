import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetVault } from '../../src/vault/keyring.js';
import { runCli } from '../helpers/runCli.js';

describe('kelpie vault encrypt|decrypt|view|encrypt_string|rekey', () => {
  afterEach(resetVault);

  it('encrypt, view, rekey to a labelled 1.2 vault, decrypt: the file comes back byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultcli-'));
    const pw = join(dir, 'pw.txt');
    const next = join(dir, 'new.txt');
    writeFileSync(pw, 'first-pw\n');
    writeFileSync(next, 'second-pw\n');
    const f = join(dir, 'f.yml');
    writeFileSync(f, 'a: 1\nb: hello\n');
    assert.equal((await runCli(['vault', 'encrypt', f, '--vault-password-file', pw])).code, 0);
    assert.match(readFileSync(f, 'utf8'), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const again = await runCli(['vault', 'encrypt', f, '--vault-password-file', pw]);
    assert.match(again.err, /already encrypted/);
    assert.equal((await runCli(['vault', 'view', f, '--vault-password-file', pw])).out, 'a: 1\nb: hello\n');
    assert.equal((await runCli(['vault', 'rekey', f, '--vault-password-file', pw, '--new-vault-id', `prod@${next}`])).code, 0);
    assert.match(readFileSync(f, 'utf8'), /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const old = await runCli(['vault', 'view', f, '--vault-password-file', pw]);
    assert.match(old.err, /Decryption failed \(no vault secrets were found that could decrypt\) on .*f\.yml/);
    assert.equal((await runCli(['vault', 'decrypt', f, '--vault-id', `prod@${next}`])).code, 0);
    assert.equal(readFileSync(f, 'utf8'), 'a: 1\nb: hello\n');
  });

  it('encrypt_string prints a !vault value a playbook then reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultcli-'));
    const pw = join(dir, 'pw.txt');
    writeFileSync(pw, 'first-pw\n');
    const r = await runCli(['vault', 'encrypt_string', '--vault-id', `dev@${pw}`, '-n', 'hushed', 'quiet-value']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^hushed: !vault \|\n {10}\$ANSIBLE_VAULT;1\.2;AES256;dev\n( {10}[0-9a-f]{1,80}\n)+$/);
    const pb = join(dir, 'pb.yml');
    const indented = r.out.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    writeFileSync(pb, `- hosts: localhost\n  gather_facts: false\n  vars:\n${indented}  tasks:\n    - copy: { dest: "${dir}/out", content: "{{ hushed }}" }\n`);
    const run = await runCli(['playbook', pb, '-i', 'localhost,', '--vault-id', `dev@${pw}`]);
    assert.equal(run.code, 0, run.out + run.err);
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), 'quiet-value');
  });
});
