/**
 * src/ has no import cycle. A cycle makes the order modules initialise in depend on which
 * one is imported first (a class used before its module ran), and it means two files are
 * really one idea split badly (PlayRun reaching back into Runner was one).
 *
 * Type-only imports count too: TypeScript erases them, so they order nothing at run time,
 * but a file that needs another's types to be written depends on it all the same (play.ts
 * saw Runner only as a type, and reached into ten of its members). Dynamic import() counts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The files of src/ that `file` imports: statically, dynamically, or for types only. */
export function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

/** Every cycle's files, each cycle found once (Tarjan's strongly connected components). */
export function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.map((f) => relative(src, f)).sort());
  };
  for (const f of files) if (!index.has(f)) connect(f);
  return cycles;
}

describe('architecture: src/ has no import cycle; the CLI and outputs follow the event stream', () => {
  it('no file of src/ reaches itself through the files it imports (type-only imports included)', () => {
    assert.deepEqual(importCycles(sourceFiles(src)), []);
  });

  it('the CLI and the outputs reach the executor only through run() (src/api): they follow its event stream', () => {
    const reaching = sourceFiles(join(src, 'cli'))
      .concat(sourceFiles(join(src, 'output')))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith(join(src, 'executor') + '/')).map((i) => `${relative(src, f)} -> ${relative(src, i)}`));
    assert.deepEqual(reaching, []);
  });

  it('the check can fail: a cycle among scratch files is found', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-cycle-'));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { T } from './c.js';\nexport const b = 1 as unknown as T;\n");
    writeFileSync(join(dir, 'c.ts'), "export type T = number;\nexport const c = () => import('./a.js');\n");
    writeFileSync(join(dir, 'd.ts'), "import { a } from './a.js';\nexport const d = a;\n");
    // a -> b (value) -> c (type only) -> a (dynamic): one cycle; d only leans on it
    assert.deepEqual(importCycles(['a', 'b', 'c', 'd'].map((n) => join(dir, `${n}.ts`))).map((c) => c.map((f) => f.split('/').pop())), [['a.ts', 'b.ts', 'c.ts']]);
  });
});
