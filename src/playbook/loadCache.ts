/**
 * A loaded playbook kept between starts: parsing the YAML and checking every task, role and
 * template name of site.yaml is most of what a start of the bin does (bench/README.md), and
 * the result only depends on the files it read. So the bin keeps the loaded model in the
 * user's cache directory, with the list of every look the load took at the disk
 * (loadRecord.ts); the next start reuses it only when each of those looks still sees the same
 * thing (the same content hash, the same directory or no file), else it loads again.
 *
 * What is kept is only a load that succeeded, whose model is plain data (a `!unsafe` string or
 * a `1.0` float are objects of kelpie's own, which the serializer would not give back as they
 * were) and that depended on nothing but the files (loadRecord.ts says what makes a load
 * uncacheable: a templated role name, an inline vault secret). The entry's name is a hash of
 * what else the load depends on: the bin's build, Node's version, the working directory, the
 * playbook's name and the roles path. Anything failing in the cache only costs the cache, never
 * the load: an unreadable, foreign or stale entry is loaded again and replaced.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LoadOptions } from './context.js';
import { loadPlaybook } from './loader.js';
import { contentHash, recordLoad, stillSeen, type Probe } from './loadRecord.js';
import type { Playbook } from './model.js';

export interface LoadCache {
  /** The directory the entries are in (created when the first one is written). */
  dir: string;
  /** What built the code that loads: a cached model is never handed to other code. */
  buildId: string;
}

/** Bumped when an entry's layout changes. */
const FORMAT = 1;

interface Entry {
  format: number;
  probes: Probe[];
  playbook: Playbook;
}

/** The entry's file: a hash of everything the load depends on besides the files it reads. */
export function entryFile(cache: LoadCache, file: string, opts: LoadOptions, cwd: string): string {
  const key = JSON.stringify([FORMAT, cache.buildId, process.version, cwd, file, opts.rolesPath ?? [], opts.playbookDir ?? null]);
  return join(cache.dir, `${contentHash(key)}.v8`);
}

/**
 * Whether v8's serializer gives this value back as it is: primitives, arrays and plain
 * objects only (a class instance comes back as a plain object, a symbol key not at all).
 */
export function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol';
  if (seen.has(value)) return true;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!isPlainData(value[i], seen)) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(value).length) return false;
  const keys = Object.keys(value);
  if (Object.getOwnPropertyNames(value).length !== keys.length) return false;
  for (const k of keys) if (!isPlainData((value as Record<string, unknown>)[k], seen)) return false;
  return true;
}

function readEntry(path: string): Entry | undefined {
  try {
    const entry = deserialize(readFileSync(path)) as Partial<Entry> | null;
    if (entry?.format !== FORMAT || !Array.isArray(entry.probes) || !entry.playbook) return undefined;
    return entry as Entry;
  } catch {
    return undefined;
  }
}

function writeEntry(path: string, entry: Entry): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    // the model holds the playbooks' own text (vars, arguments): readable by its owner only
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(temp, serialize(entry), { mode: 0o600 });
    renameSync(temp, path);
  } catch {
    removeQuietly(temp);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the directory itself is not usable: there is nothing to remove
  }
}

/**
 * loadPlaybook, through the cache when one is given. The model returned is the one a load
 * would return now (the same plays, tasks, locations and warnings); errors are never cached,
 * so a playbook with problems is loaded, and reported, every time.
 */
export async function loadPlaybookCached(file: string, opts: LoadOptions, cache: LoadCache | undefined, cwd = process.cwd()): Promise<Playbook> {
  if (!cache) return loadPlaybook(file, opts);
  const path = entryFile(cache, file, opts, cwd);
  const entry = readEntry(path);
  if (entry && stillSeen(entry.probes)) return entry.playbook;
  const { value: playbook, recording } = await recordLoad(() => loadPlaybook(file, opts));
  if (recording.uncacheable === undefined && isPlainData(playbook)) writeEntry(path, { format: FORMAT, probes: recording.probes, playbook });
  else if (entry) removeQuietly(path);
  return playbook;
}
