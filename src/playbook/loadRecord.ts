/**
 * What a playbook load looked at on disk, recorded while it runs, so that its result can be
 * reused by a later start (loadCache.ts) only while every one of those looks would still see
 * the same thing.
 *
 * The loader's reads and probes all go through the few helpers in this directory that call
 * `noteRead`/`noteProbe` (source.ts, rolefiles.ts, templateNames.ts; an architecture test keeps
 * node:fs out of the rest). A load that did something whose outcome is not a file's content (a
 * role name rendered with the templar, which may run lookups; an inline `!vault` value, a
 * secret that must never reach a cache file) calls `noteUncacheable` and is not kept.
 *
 * The recording follows the load through its awaits (AsyncLocalStorage), so a load that runs
 * while another is recorded can never add to the other's list. Outside a recorded load every
 * call here does nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { accessSync, readdirSync, readFileSync, statSync } from 'node:fs';

/** One look at the disk and what it saw; `seen` is compared as text at the next start. */
export type Probe =
  | { kind: 'read'; path: string; seen: string } // a file's content hash, or `!CODE` for an error
  | { kind: 'isDir'; path: string; seen: string } // 'dir' | 'no'
  | { kind: 'exists'; path: string; seen: string } // 'yes' | 'no'
  | { kind: 'subdirs'; path: string; seen: string }; // the names of its subdirectories, or '!'

export interface LoadRecording {
  probes: Probe[];
  /** Why the load's result may not be reused; undefined while it may. */
  uncacheable?: string;
}

// created on first use: the bin's startup snapshot is built by a load that is not recorded
let storage: AsyncLocalStorage<LoadRecording> | undefined;

/** Runs `load` with its disk reads recorded. */
export async function recordLoad<T>(load: () => Promise<T>): Promise<{ value: T; recording: LoadRecording }> {
  storage ??= new AsyncLocalStorage<LoadRecording>();
  const recording: LoadRecording = { probes: [] };
  const value = await storage.run(recording, load);
  return { value, recording };
}

function current(): LoadRecording | undefined {
  return storage?.getStore();
}

/** A sha256, in base64url (also a file name). */
export function contentHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** A file read (or the error code it failed with). */
export function noteRead(path: string, outcome: Buffer | NodeJS.ErrnoException): void {
  const rec = current();
  if (!rec) return;
  rec.probes.push({ kind: 'read', path, seen: Buffer.isBuffer(outcome) ? contentHash(outcome) : `!${outcome.code ?? 'ERROR'}` });
}

export function noteProbe(kind: Exclude<Probe['kind'], 'read'>, path: string, seen: string): void {
  current()?.probes.push({ kind, path, seen });
}

export function noteUncacheable(why: string): void {
  const rec = current();
  if (rec) rec.uncacheable ??= why;
}

/** The names of a directory's subdirectories, as one string (or '!' when it cannot be listed). */
export function subdirNames(entries: readonly { name: string; isDirectory(): boolean }[]): string {
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort().join('/');
}

/** What the probe would see now. */
function seenNow(p: Probe): string {
  switch (p.kind) {
    case 'read':
      try {
        return contentHash(readFileSync(p.path));
      } catch (e) {
        return `!${(e as NodeJS.ErrnoException).code ?? 'ERROR'}`;
      }
    case 'isDir':
      try {
        return statSync(p.path).isDirectory() ? 'dir' : 'no';
      } catch {
        return 'no';
      }
    case 'exists':
      try {
        accessSync(p.path);
        return 'yes';
      } catch {
        return 'no';
      }
    case 'subdirs':
      try {
        return subdirNames(readdirSync(p.path, { withFileTypes: true }));
      } catch {
        return '!';
      }
  }
}

/** Whether every probe still sees what it saw when the load was recorded. */
export function stillSeen(probes: readonly Probe[]): boolean {
  return probes.every((p) => seenNow(p) === p.seen);
}
