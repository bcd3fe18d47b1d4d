import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptEnvelope, encryptVault, parseEnvelope, VaultPasswordError } from '../../src/vault/format.js';
import { addVaultSecret, decryptVaultText, readVaultPassword, rememberVaultValues, resetVault, vaultPlaintexts } from '../../src/vault/keyring.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vault');
const fixture = (name: string): string => readFileSync(join(dir, name), 'utf8');
const PW = 'kelpie-vault-pw';
const PROD_PW = 'prod-pw-2';
// the salt kelpie-made-*.yml were written with (see fixtures/vault/README.md)
const SALT = Buffer.from('6b656c7069652d666978747572652d73616c742d666f722d7665726966792121', 'hex');

/** The envelope text of an inline `name: !vault |` fixture. */
function inlineEnvelope(text: string): string {
  return text.split('\n').slice(1).map((l) => l.trim()).join('\n');
}

describe('vault format: files made by ansible-vault', () => {
  it('decrypts a 1.1 file', () => {
    const env = parseEnvelope(fixture('vars-1.1.yml'));
    assert.equal(env.version, '1.1');
    assert.equal(decryptEnvelope(env, PW).toString(), 'db_password: s3cret-from-vault\napi_token: tok-42\n');
  });

  it('decrypts a 1.2 file and reads its label', () => {
    const env = parseEnvelope(fixture('vars-1.2-prod.yml'));
    assert.equal(env.version, '1.2');
    assert.equal(env.label, 'prod');
    assert.equal(decryptEnvelope(env, PROD_PW).toString(), 'prod_key: prod-only-value\n');
  });

  it('decrypts inline encrypt_string values, 1.1 and 1.2', () => {
    assert.equal(decryptEnvelope(parseEnvelope(inlineEnvelope(fixture('inline-1.1.yml'))), PW).toString(), 'inline-secret-value');
    assert.equal(decryptEnvelope(parseEnvelope(inlineEnvelope(fixture('inline-1.2-prod.yml'))), PROD_PW).toString(), 'prod-inline-value');
  });

  it('a wrong password fails the HMAC check instead of yielding garbage', () => {
    assert.throws(() => decryptEnvelope(parseEnvelope(fixture('vars-1.1.yml')), 'nope'), VaultPasswordError);
  });
});

describe('vault format: files made by kelpie', () => {
  it('writes byte for byte the fixtures ansible-vault was checked to open', () => {
    assert.equal(encryptVault('made_by: kelpie\nsecret: kelpie-made-secret\n', PW, undefined, SALT), fixture('kelpie-made-1.1.yml'));
    assert.equal(encryptVault('made_by: kelpie\nlabel: prod\n', PROD_PW, 'prod', SALT), fixture('kelpie-made-1.2-prod.yml'));
  });

  it('round trip: 1.1 without a label, 1.2 with one, lines of 80 characters', () => {
    for (const plain of ['', 'x', 'sixteen bytes!!!', 'ünïcödé\n'.repeat(40)]) {
      const text = encryptVault(plain, PW);
      assert.match(text, /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
      assert.ok(text.split('\n').slice(1, -2).every((l) => l.length === 80));
      assert.equal(decryptEnvelope(parseEnvelope(text), PW).toString(), plain);
    }
    const labelled = encryptVault('v', PW, 'dev');
    assert.match(labelled, /^\$ANSIBLE_VAULT;1\.2;AES256;dev\n/);
    assert.equal(encryptVault('v', PW, 'default').split('\n')[0], '$ANSIBLE_VAULT;1.1;AES256');
  });
});

describe('vault keyring', () => {
  afterEach(resetVault);

  it("a wrong password is Ansible's error naming the file (recorded golden)", () => {
    addVaultSecret(readVaultPassword(join(dir, 'prod-password.txt')));
    const golden = fixture('wrong-password.golden');
    assert.match(golden, /Decryption failed \(no vault secrets were found that could decrypt\) on vars-1\.1\.yml/);
    assert.throws(() => decryptVaultText(fixture('vars-1.1.yml'), 'vars-1.1.yml'), {
      message: 'Decryption failed (no vault secrets were found that could decrypt) on vars-1.1.yml',
    });
  });

  it('tries every password, the labelled one first; the plaintexts become secrets to mask', () => {
    addVaultSecret(readVaultPassword(join(dir, 'password.txt')));
    addVaultSecret(readVaultPassword(join(dir, 'prod-password.txt'), 'prod'));
    assert.equal(decryptVaultText(fixture('vars-1.2-prod.yml'), 'f'), 'prod_key: prod-only-value\n');
    assert.equal(decryptVaultText(fixture('vars-1.1.yml'), 'f'), 'db_password: s3cret-from-vault\napi_token: tok-42\n');
    rememberVaultValues({ db_password: 's3cret-from-vault', list: ['tok-42'] });
    assert.ok(vaultPlaintexts().includes('tok-42') && vaultPlaintexts().includes('s3cret-from-vault'));
  });

  it('no password at all says how to give one', () => {
    assert.throws(() => decryptVaultText(fixture('vars-1.1.yml'), 'vars-1.1.yml'), /no vault secrets found: vars-1\.1\.yml is encrypted/);
  });
});
