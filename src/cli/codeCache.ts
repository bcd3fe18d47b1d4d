/**
 * V8's code cache for the bin's bundle: the bytecode of every function a run compiled, saved
 * after the run and handed back to V8 at the next start, so a start deserializes instead of
 * parsing and compiling the 1 MB bundle (bench/README.md has the measurement).
 *
 * The file is a header line naming what it was made from (the bundle's build id, Node's
 * version, the CPU architecture) and V8's data. A header that does not match is ignored;
 * V8 itself also checks its version, its flags and the source's length, and refuses data
 * that fails them (the caller then compiles as usual and saves new data). The cache lives
 * beside the bundle, or in the user's cache directory when that directory is not writable
 * (an install owned by root); anything failing there only costs the cache, never the run.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

const FILE_NAME = 'kelpie.v8cache';

/** The id scripts/bundle.mjs writes on the bundle's first line: a hash of the bundle's text. */
export function buildIdOf(source: string): string | undefined {
  return /^\/\/kelpie-build ([0-9a-f]{16,})\n/.exec(source)?.[1];
}

/** The header a cache made from this bundle by this Node starts with. */
export function cacheHeader(buildId: string): string {
  return `kelpie-v8cache ${buildId} ${process.version} ${process.arch}\n`;
}

/** Where the cache may be: beside the bundle first, then the user's cache directory. */
export function cachePlaces(bundleDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const xdg = env.XDG_CACHE_HOME;
  const userCache = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return [join(bundleDir, FILE_NAME), join(userCache, 'kelpie', FILE_NAME)];
}

/** V8's data from the first place whose header matches, or undefined. */
export function readCodeCache(places: readonly string[], header: string): Buffer | undefined {
  for (const file of places) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    if (bytes.length > header.length && bytes.toString('latin1', 0, header.length) === header) return bytes.subarray(header.length);
  }
  return undefined;
}

/**
 * Saves V8's data to the first place that takes it, through a temp file and a rename (a
 * concurrent start reads the old file or the new one, never half of one). Returns the file
 * written, or undefined when no place could be written.
 */
export function writeCodeCache(places: readonly string[], header: string, data: Uint8Array): string | undefined {
  for (const file of places) {
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temp, Buffer.concat([Buffer.from(header, 'latin1'), data]), { mode: 0o644 });
      renameSync(temp, file);
      return file;
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // (a place that fails this far is skipped all the same)
      }
    }
  }
  return undefined;
}
