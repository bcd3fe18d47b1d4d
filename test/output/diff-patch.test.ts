import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFileDiff } from '../../src/output/unifiedDiff.js';
import { runCli } from '../helpers/runCli.js';

const playbook = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/output/patch/edit.yaml');

function seed(dir: string): void {
  writeFileSync(join(dir, 'long.conf'), Array.from({ length: 29 }, (_, i) => `line ${i + 1}\n`).join(''));
  writeFileSync(join(dir, 'nonl.txt'), 'first\nsecond');
  writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n');
}

const files = ['long.conf', 'nonl.txt', 'created.txt', 'hosts'];
const read = (dir: string): string[] => files.map((f) => readFileSync(join(dir, f), 'utf8'));

describe('--diff output is a patch: GNU patch -p0 applies it', () => {
  it('patching a copy of the files with the --check --diff output gives what the real run writes', async function () {
    const checked = mkdtempSync(join(tmpdir(), 'kelpie-patch-check-'));
    const applied = mkdtempSync(join(tmpdir(), 'kelpie-patch-real-'));
    seed(checked);
    seed(applied);
    const check = await runCli(['playbook', playbook, '-i', 'localhost,', '--check', '--diff', '-e', `dir=${checked}`]);
    assert.equal(check.code, 0, check.err + check.out);
    assert.doesNotMatch(check.out, /\(before\)|\(after\)/, 'no invented "No newline" variants');
    // the whole output, TASK banners and all, goes to patch, as a user would pipe it
    const patchOut = execFileSync('patch', ['-p0', '--batch', '--forward', '-d', '/'], { input: check.out, encoding: 'utf8' });
    assert.match(patchOut, /patching file .*long\.conf/);
    const real = await runCli(['playbook', playbook, '-i', 'localhost,', '-e', `dir=${applied}`]);
    assert.equal(real.code, 0, real.err + real.out);
    assert.deepEqual(read(checked), read(applied));
  });

  it('a file content diff names the file relative to / and marks a missing final newline as patch does', () => {
    const text = renderFileDiff({ path: '/etc/motd', file: { existedBefore: true, existsAfter: true }, before: 'a\nb', after: 'a\nc\n' });
    assert.equal(text, '--- etc/motd\n+++ etc/motd\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n');
    const created = renderFileDiff({ path: '/etc/new', file: { existedBefore: false, existsAfter: true }, before: '', after: 'x\n' });
    assert.equal(created, '--- /dev/null\n+++ etc/new\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('a diff that is not file content has no patch headers', () => {
    const text = renderFileDiff({ path: 'packages', beforeHeader: 'installed packages (before)', afterHeader: 'installed packages (after)', before: 'a\n', after: 'a\nb\n' });
    assert.equal(text, 'installed packages (before) -> installed packages (after):\n a\n+b\n');
  });
});
