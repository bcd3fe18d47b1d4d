import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Everything the lab builds or runs lives here, outside the repository. */
export const LAB_ROOT = process.env.KELPIE_LAB_ROOT ?? '/var/tmp/kelpie-lab';

export const labKeyFile = join(LAB_ROOT, 'lab_ed25519');

export function labStateDir(name: string): string {
  return join(LAB_ROOT, 'labs', name);
}

/** Short stable hash of a recipe: the cache key of a built artefact. */
export function recipeHash(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
