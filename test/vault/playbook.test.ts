import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resetVault } from '../../src/vault/keyring.js';
import { runCli } from '../helpers/runCli.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vault');
// the plaintexts inside the ansible-vault fixtures: none may ever be printed
const SECRETS = ['s3cret-from-vault', 'tok-42', 'inline-secret-value'];

/** A playbook using an encrypted vars file (ansible-vault made) and an inline !vault value. */
function project(): { dir: string; pb: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-vault-'));
  copyFileSync(join(fixtures, 'vars-1.1.yml'), join(dir, 'secrets.yml'));
  copyFileSync(join(fixtures, 'password.txt'), join(dir, 'pw.txt'));
  copyFileSync(join(fixtures, 'prod-password.txt'), join(dir, 'wrong.txt'));
  const inline = readFileSync(join(fixtures, 'inline-1.1.yml'), 'utf8').replace(/^inline_secret: /, '').replace(/\n {10}/g, '\n        ');
  const pb = join(dir, 'pb.yml');
  writeFileSync(
    pb,
    `- hosts: localhost
  gather_facts: false
  vars_files: [secrets.yml]
  vars:
    inline_secret: ${inline.trimEnd()}
  tasks:
    - copy: { dest: "${dir}/out.txt", content: "{{ db_password }} {{ inline_secret }}\\n" }
    - name: "show {{ api_token }}"
      debug: { msg: "token is {{ api_token }}" }
    - fail: { msg: "refusing {{ db_password }}" }
      ignore_errors: true
`,
  );
  return { dir, pb };
}

describe('vault in a playbook (local connection)', () => {
  afterEach(resetVault);

  it('--vault-password-file opens vars_files and inline !vault values; their values are never printed', async () => {
    const { dir, pb } = project();
    const json = join(dir, 'report.json');
    const r = await runCli(['playbook', pb, '-i', 'localhost,', '--vault-password-file', join(dir, 'pw.txt'), '--diff', '-vvv', '--json', json]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 's3cret-from-vault inline-secret-value\n');
    assert.match(r.out, /token is \*\*\*\*\*\*\*\*/);
    assert.match(r.out, /refusing \*\*\*\*\*\*\*\*/);
    assert.match(r.out, /TASK \[show \*\*\*\*\*\*\*\*\]/);
    const report = readFileSync(json, 'utf8');
    assert.match(report, /token is \*{8}/);
    for (const s of SECRETS) assert.ok(!(r.out + r.err + report).includes(s), `${s} leaked:\n${r.out}${r.err}`);
  });

  it('vault_password_file in ansible.cfg [defaults] is used when no flag gives a password', async () => {
    const { dir, pb } = project();
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nvault_password_file = pw.txt\n');
    const r = await runCli(['playbook', pb, '-i', 'localhost,'], { cwd: dir });
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 's3cret-from-vault inline-secret-value\n');
  });

  it("a wrong password is Ansible's error naming the encrypted file: inline value, vars_files, -e @file", async () => {
    const { dir, pb } = project();
    const wrong = ['--vault-id', `dev@${join(dir, 'wrong.txt')}`];
    const inline = await runCli(['playbook', pb, '-i', 'localhost,', ...wrong]);
    assert.notEqual(inline.code, 0);
    assert.match(inline.err, /pb\.yml:\d+:\d+: Decryption failed \(no vault secrets were found that could decrypt\) on .*pb\.yml/);
    const plain = join(dir, 'plain.yml');
    writeFileSync(plain, '- hosts: localhost\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks:\n    - debug: { msg: "{{ db_password }}" }\n');
    const varsFile = await runCli(['playbook', plain, '-i', 'localhost,', ...wrong]);
    assert.notEqual(varsFile.code, 0);
    assert.match(varsFile.err, /Decryption failed \(no vault secrets were found that could decrypt\) on .*secrets\.yml/);
    const extra = await runCli(['playbook', plain, '-i', 'localhost,', '-e', `@${join(dir, 'secrets.yml')}`, ...wrong]);
    assert.match(extra.err, /Decryption failed \(no vault secrets were found that could decrypt\) on .*secrets\.yml/);
    const none = await runCli(['playbook', plain, '-i', 'localhost,']);
    assert.match(none.err, /no vault secrets found: .*secrets\.yml is encrypted/);
  });

  it('-e @file and group_vars may be vaults too; a 1.2 file opens with its --vault-id label', async () => {
    const { dir } = project();
    copyFileSync(join(fixtures, 'vars-1.2-prod.yml'), join(dir, 'prod.yml'));
    mkdirSync(join(dir, 'group_vars'));
    copyFileSync(join(fixtures, 'vars-1.1.yml'), join(dir, 'group_vars', 'all.yml'));
    writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local\n');
    const pb = join(dir, 'ids.yml');
    writeFileSync(pb, `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/ids.txt", content: "{{ prod_key }} {{ api_token }}\\n" }\n`);
    const r = await runCli(['playbook', pb, '-i', join(dir, 'inv.ini'), '-e', `@${join(dir, 'prod.yml')}`, '--vault-id', `prod@${join(dir, 'wrong.txt')}`, '--vault-password-file', join(dir, 'pw.txt'), '--diff']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(readFileSync(join(dir, 'ids.txt'), 'utf8'), 'prod-only-value tok-42\n');
    assert.ok(!r.out.includes('prod-only-value') && !r.out.includes('tok-42'), r.out);
  });
});
