import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Everything the lab builds or runs lives here, outside the repository. Read at each use, not
 * at import: the bin's startup snapshot imports this module at build time.
 */
export function labRoot(): string {
  return process.env.KELPIE_LAB_ROOT ?? '/var/tmp/kelpie-lab';
}

export function labKeyFile(): string {
  return join(labRoot(), 'lab_ed25519');
}

export function labStateDir(name: string): string {
  return join(labRoot(), 'labs', name);
}

/** Short stable hash of a recipe: the cache key of a built artefact. */
export function recipeHash(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
