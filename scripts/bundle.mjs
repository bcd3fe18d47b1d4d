#!/usr/bin/env node
/**
 * Builds the `kelpie` bin: dist/kelpie.cjs, the CLI and its pure-JS dependencies in one
 * CommonJS file (with a source map); dist/kelpie.blob, Node's startup snapshot of that bundle
 * loaded and warmed up (src/cli/snapshot.ts); dist/kelpie, the bin, a sh script that starts
 * Node from the snapshot (src/cli/kelpie.sh); and dist/kelpie.mjs, its fallback, the launcher
 * that runs the bundle with V8's code cache (src/cli/launcher.ts). A start reads and deserializes one file instead of
 * resolving, reading and compiling ~300 modules. `npm run build` runs it after tsc (which
 * typechecks and emits dist/src for the bench and the tests). ssh2 stays in node_modules: it
 * has a native crypto binding, and kelpie loads it only when it connects
 * (src/connection/ssh2lib.ts). One `--syntax-check` of playbooks/site.yaml fills the code
 * cache, so the fallback's first start is already a warm one. Last, the snapshot: built by
 * this Node (the bin uses it only with a `node` of the same modification time, which
 * dist/kelpie.blob-node records), warmed up by loading playbooks/site.yaml.
 * `--outfile FILE` puts the launcher at FILE and the bundle, the blob and the bin beside it (the
 * bundle test does); FILE must lie inside the repository, where the bundle finds
 * node_modules/ssh2 and the data files it reads. `--no-warm` skips filling the code cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outfile');
const launcher = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist', 'kelpie.mjs');
const bundle = join(dirname(launcher), 'kelpie.cjs');
const blob = join(dirname(launcher), 'kelpie.blob');
const blobNode = join(dirname(launcher), 'kelpie.blob-node');
const bin = join(dirname(launcher), 'kelpie');
const PLACEHOLDER = '//kelpie-build 0000000000000000';
const BUILD_ID_PLACEHOLDER = '@@kelpie-build@@';

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
  // KELPIE_BUILD_ID: a placeholder of the id's length, replaced by the id below (the source
  // map's columns stay right); src/cli/loadCacheFor.ts keys the playbook cache with it
  define: { 'import.meta.url': 'import_meta.url', KELPIE_BUILD_ID: JSON.stringify(BUILD_ID_PLACEHOLDER) },
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
if (!text.includes(`"${BUILD_ID_PLACEHOLDER}"`)) throw new Error(`${bundle}: expected the KELPIE_BUILD_ID placeholder`);
writeFileSync(bundle, text.replace(PLACEHOLDER, `//kelpie-build ${id}`).replaceAll(`"${BUILD_ID_PLACEHOLDER}"`, `"${id}"`), 'latin1');

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
  const warm = spawnSync(process.execPath, [launcher, 'playbook', join('playbooks', 'site.yaml'), '--syntax-check'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true', KELPIE_NO_CACHE: '1' } });
  if (warm.status !== 0) process.stderr.write(`bundle: the code cache was not filled (the syntax check exited ${warm.status}):\n${warm.stdout}${warm.stderr}`);
}

buildSnapshot();

/**
 * dist/kelpie.blob, and dist/kelpie.blob-node: the Node that built it (for people), with that
 * binary's modification time (for the bin's check; `touch -r` copies it to the nanosecond).
 * The old blob goes first, so a failed build leaves a bin that runs the bundle, not a stale
 * snapshot of another one.
 */
function buildSnapshot() {
  rmSync(blobNode, { force: true });
  rmSync(blob, { force: true });
  const temp = `${blob}.${process.pid}.tmp`;
  const made = spawnSync(process.execPath, ['--snapshot-blob', temp, '--build-snapshot', bundle, join('playbooks', 'site.yaml')], { cwd: root, encoding: 'utf8' });
  // Node warns that child_process and module are not verified in a snapshot: kelpie only calls
  // them after the start (spawning, and requiring ssh2), never while the snapshot is built
  const said = made.stderr.split('\n').filter((l) => l && !/not yet fully verified|may still work in some cases|To request support for the module|--trace-warnings/.test(l));
  if (made.status !== 0) {
    rmSync(temp, { force: true });
    throw new Error(`bundle: the startup snapshot could not be built (exit ${made.status}):\n${made.stdout}${said.join('\n')}`);
  }
  if (said.length) process.stderr.write(`${said.join('\n')}\n`);
  renameSync(temp, blob);
  writeFileSync(blobNode, `${process.execPath} ${process.version} ${process.arch}\n`);
  const touched = spawnSync('touch', ['-r', process.execPath, blobNode], { encoding: 'utf8' });
  if (touched.status !== 0) throw new Error(`bundle: touch -r ${process.execPath} ${blobNode} failed: ${touched.stderr}`);
  copyFileSync(join(root, 'src', 'cli', 'kelpie.sh'), bin);
  chmodSync(bin, 0o755);
}
