#!/usr/bin/env node
/**
 * Builds dist/kelpie.mjs, the `kelpie` bin: the CLI and its pure-JS dependencies in one ES
 * module (with a source map), so a start reads and compiles one file instead of resolving
 * and loading ~300 modules. `npm run build` runs it after tsc (which typechecks and emits
 * dist/src for the bench and the tests). ssh2 stays in node_modules: it has a native crypto
 * binding, and kelpie loads it only when it connects (src/connection/ssh2lib.ts).
 * `--outfile FILE` builds elsewhere (the bundle test does); FILE must lie inside the
 * repository, where the bundle finds node_modules/ssh2 and the data files it reads.
 */
import { chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outfile');
const outfile = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist', 'kelpie.mjs');

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // half the bytes to read and compile at every start; names stay (errors and -vvv traces
  // print them); NODE_OPTIONS=--enable-source-maps maps traces back to src/
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['ssh2'],
  // the bundled CommonJS packages (commander, nunjucks, ...) call require() for Node's own modules
  banner: { js: "import { createRequire as __kelpieCreateRequire } from 'node:module'; const require = __kelpieCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
