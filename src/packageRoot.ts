/**
 * The directory kelpie is installed or checked out in (the one holding its package.json),
 * for the data files that ship beside the code (playbooks/, the lab's stand-ins). The code
 * runs from src/ (tsx), dist/src/ (tsc) or the dist/kelpie.cjs bundle, so a path relative
 * to this file would differ in each; the nearest package.json above it does not.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
