/**
 * docs/architecture.md describes the code by its paths. A file that is renamed or removed
 * would leave the document pointing at nothing, silently: this test names every path the
 * document mentions that is not in the repository, and every directory of src/ it leaves out.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = 'docs/architecture.md';

/** Repository paths a text names (`src/…`, `test/…`, `bench/…`, `scripts/…`, `docs/…`), each once. */
export function pathsIn(text: string): string[] {
  const found = text.match(/(?<![\w./-])(?:src|test|bench|scripts|docs)\/[\w./-]*/g) ?? [];
  // a path that ends a sentence keeps its directory slash, not the full stop
  return [...new Set(found.map((p) => p.replace(/\.+$/, '')))];
}

/** The paths of `names` that do not exist under `base`. */
export function missingPaths(names: readonly string[], base: string): string[] {
  return names.filter((p) => !existsSync(join(base, p)));
}

describe(`architecture: ${DOC} names only what exists`, () => {
  const doc = readFileSync(join(root, DOC), 'utf8');

  it('every src/, test/, bench/, scripts/ and docs/ path it mentions exists', () => {
    const named = pathsIn(doc);
    assert.ok(named.length >= 50, `only ${named.length} paths found: is the extraction broken?`);
    assert.deepEqual(missingPaths(named, root), []);
  });

  it('every directory of src/ has its place in it', () => {
    const dirs = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/${d.name}/`);
    assert.deepEqual(dirs.filter((d) => !doc.includes(d)), []);
  });

  it('README.md points at it', () => {
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(`](${DOC})`), `README.md has no link to ${DOC}`);
  });

  it('the check can fail: a renamed file and a missing directory are named, a sentence end is not part of a path', () => {
    const text = 'See `src/executor/task.ts`, src/executor/gone.ts and test/nowhere/. Also src/template/.';
    assert.deepEqual(pathsIn(text), ['src/executor/task.ts', 'src/executor/gone.ts', 'test/nowhere/', 'src/template/']);
    assert.deepEqual(missingPaths(pathsIn(text), root), ['src/executor/gone.ts', 'test/nowhere/']);
  });
});
