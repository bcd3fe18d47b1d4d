#!/usr/bin/env node
/**
 * Builds the `kelpie` bin: dist/kelpie.cjs, the CLI and its pure-JS dependencies in one
 * CommonJS file (with a source map), and dist/kelpie.mjs, the launcher that runs it with V8's
 * code cache (src/cli/launcher.ts). A start reads and deserializes one file instead of
 * resolving, reading and compiling ~300 modules. `npm run build` runs it after tsc (which
 * typechecks and emits dist/src for the bench and the tests). ssh2 stays in node_modules: it
 * has a native crypto binding, and kelpie loads it only when it connects
 * (src/connection/ssh2lib.ts). Last, one `--syntax-check` of playbooks/site.yaml fills the
 * code cache, so the first real start is already a warm one.
 * `--outfile FILE` puts the launcher at FILE and the bundle beside it (the bundle test does);
 * FILE must lie inside the repository, where the bundle finds node_modules/ssh2 and the data
 * files it reads. `--no-warm` skips filling the cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outfile');
const launcher = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist', 'kelpie.mjs');
const bundle = join(dirname(launcher), 'kelpie.cjs');
const PLACEHOLDER = '//kelpie-build 0000000000000000';

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // half the bytes to read and compile at every start; names stay (errors and -vvv traces
  // print them)
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['ssh2'],
  inject: [join(root, 'scripts', 'import-meta-url.js')],
  define: { 'import.meta.url': 'import_meta_url' },
  // line 1: the build id the code cache is keyed by (filled in below)
  banner: { js: PLACEHOLDER },
  logLevel: 'warning',
});

// The launcher compiles the bundle as the body of a function, where main.ts's `#!` line is a
// syntax error: the build id goes first and the `#!` line is left empty (the line count stays,
// so the source map still fits).
const text = readFileSync(bundle, 'latin1').replace(/^#!.*\n(.*\n)/, '$1\n');
if (!text.startsWith(`${PLACEHOLDER}\n`)) throw new Error(`${bundle}: expected the build id placeholder on line 1`);
const nonAscii = /[^\x00-\x7f]/.exec(text);
if (nonAscii) {
  const line = text.slice(0, nonAscii.index).split('\n').length;
  throw new Error(`${bundle}:${line}: a non-ASCII character (${JSON.stringify(nonAscii[0])}); write it as a \\u escape in src/, the launcher reads the bundle as latin1`);
}
const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
writeFileSync(bundle, text.replace(PLACEHOLDER, `//kelpie-build ${id}`), 'latin1');

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/launcher.ts'],
  outfile: launcher,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
chmodSync(launcher, 0o755);

if (!process.argv.includes('--no-warm')) {
  const warm = spawnSync(process.execPath, [launcher, 'playbook', join('playbooks', 'site.yaml'), '--syntax-check'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (warm.status !== 0) process.stderr.write(`bundle: the code cache was not filled (the syntax check exited ${warm.status}):\n${warm.stdout}${warm.stderr}`);
}
