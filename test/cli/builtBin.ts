/**
 * The built bin for the tests that run what ships (bundle.test.ts, snapshot.test.ts): built
 * fresh by scripts/bundle.mjs into a directory inside the repository's dist/ (where it finds
 * node_modules/ssh2 and the data files, as the installed bin does), and started as a process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds dist/kelpie, kelpie.blob, kelpie.mjs, kelpie.cjs, … into a new directory; returns it. */
export function buildBin(): string {
  const dir = mkdtempSync(join(root, 'dist', '.bundle-test-'));
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--outfile', join(dir, 'kelpie.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

export interface BinRun {
  code: number;
  out: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin` with args: the launcher dist/kelpie.mjs with node, as the sh bin's fallback does,
 * anything else (the sh bin) as an executable. `env` is added to this process's environment
 * (a value of undefined removes the variable); CI=true unless given.
 */
export function runBin(bin: string, args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): Promise<BinRun> {
  const argv = bin.endsWith('.mjs') ? [process.execPath, bin, ...args] : [bin, ...args];
  const merged: Record<string, string | undefined> = { ...process.env, CI: 'true', ...env };
  const childEnv = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out, stdout, stderr }));
  });
}
