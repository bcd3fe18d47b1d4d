import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resetVault } from '../../src/vault/keyring.js';
import { runCli } from '../helpers/runCli.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vault');
/** What ansible-vault did with the same scripts and files (recorded; see the fixtures' README). */
const golden = JSON.parse(readFileSync(join(fixtures, 'scripts.golden.json'), 'utf8')) as {
  view: Record<string, { rc: number; stdout: string; error: string | null }>;
  edit: Record<string, string | boolean>;
};

describe('vault password scripts, as ansible-vault runs them (recorded)', () => {
  afterEach(resetVault);

  for (const [args, expected] of Object.entries(golden.view)) {
    it(`view ${args}`, async () => {
      const r = await runCli(['vault', 'view', ...args.split(' ')], { cwd: fixtures });
      if (expected.rc === 0) {
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out, expected.stdout);
        return;
      }
      assert.notEqual(r.code, 0, r.out);
      // Ansible's words up to the script's stderr, which it prints as a Python bytes repr
      const [, words, stderr] = /^ERROR! (.*?): b'(.*)\\n'$/.exec(expected.error!)!;
      assert.ok(r.err.includes(words!.replace(/<fixtures>/g, fixtures)), r.err);
      assert.ok(r.err.includes(stderr!.replace(/<fixtures>/g, fixtures)), r.err);
    });
  }

  it('a script that fails or prints nothing is an error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultscript-'));
    const empty = join(dir, 'empty.sh');
    const fails = join(dir, 'fails.sh');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(empty, '#!/bin/sh\necho\n', { mode: 0o755 });
    writeFileSync(fails, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const e = await runCli(['vault', 'view', '--vault-password-file', empty, join(fixtures, 'vars-1.1.yml')]);
    assert.match(e.err, /invalid vault password was provided from script \(.*empty\.sh\): it is empty/);
    const f = await runCli(['vault', 'view', '--vault-password-file', fails, join(fixtures, 'vars-1.1.yml')]);
    assert.match(f.err, /Vault password script .*fails\.sh returned non-zero \(3\)/);
  });
});

describe('kelpie vault edit', () => {
  afterEach(resetVault);
  const prod = ['--vault-id', `prod@${join(fixtures, 'prod-password.txt')}`];

  it('unchanged content leaves the file byte for byte, as ansible-vault edit does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultedit-'));
    const f = join(dir, 'a.yml');
    copyFileSync(join(fixtures, 'vars-1.2-prod.yml'), f);
    const before = readFileSync(f);
    const r = await runCli(['vault', 'edit', f, ...prod], { env: { EDITOR: 'true' } });
    assert.equal(r.code, 0, r.err);
    assert.equal(golden.edit['EDITOR=true leaves the file byte for byte'], true);
    assert.ok(readFileSync(f).equals(before));
  });

  it("changed content is encrypted again with the file's vault id and password, its mode kept; the plaintext temp file is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultedit-'));
    const f = join(dir, 'a.yml');
    copyFileSync(join(fixtures, 'vars-1.2-prod.yml'), f);
    chmodSync(f, 0o640);
    const seen = join(dir, 'editor-saw');
    const editor = `sh -c 'echo "$0" > ${seen}; sed -i s/value/edited/ "$0"'`;
    const r = await runCli(['vault', 'edit', f, ...prod], { env: { EDITOR: editor } });
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(f, 'utf8').split('\n')[0], golden.edit["EDITOR='sed -i s/value/edited/' header"]);
    assert.equal(statSync(f).mode & 0o777, 0o640);
    const tmp = readFileSync(seen, 'utf8').trim();
    assert.match(tmp, /\.yml$/, 'the temp file keeps the extension, for the editor');
    assert.equal(existsSync(tmp), false, 'the plaintext temp file was removed');
    resetVault();
    const view = await runCli(['vault', 'view', f, ...prod]);
    assert.equal(view.out, golden.edit['then view']);
  });

  it('works with a password script and keeps a 1.1 file 1.1; a file that is no vault is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-vaultedit-'));
    const f = join(dir, 'b.yml');
    copyFileSync(join(fixtures, 'vars-1.1.yml'), f);
    const script = ['--vault-password-file', join(fixtures, 'scripts/pw-script.sh')];
    const r = await runCli(['vault', 'edit', f, ...script], { env: { EDITOR: 'sed -i s/tok-42/tok-43/' } });
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(f, 'utf8'), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    resetVault();
    assert.match((await runCli(['vault', 'view', f, ...script])).out, /api_token: tok-43\n/);
    const plain = join(dir, 'plain.yml');
    copyFileSync(join(fixtures, 'password.txt'), plain);
    const bad = await runCli(['vault', 'edit', plain, ...script], { env: { EDITOR: 'true' } });
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /not a vault.*plain\.yml/);
  });
});
