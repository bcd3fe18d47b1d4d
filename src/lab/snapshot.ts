import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import type { LabHost } from './types.js';

/**
 * Files a login itself writes, whatever the run did: login accounting (sshd with a pty) and
 * interactive shells' history. Everything else in the upper dir is a change somebody made.
 */
export const SNAPSHOT_NOISE: readonly RegExp[] = [
  /^var\/log\/(wtmp|btmp|lastlog)$/,
  /(^|\/)\.bash_history$/,
];

function owner(st: Stats): string {
  return `${(st.mode & 0o7777).toString(8).padStart(4, '0')} ${st.uid}:${st.gid}`;
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function describe(abs: string, st: Stats): Promise<string> {
  if (st.isDirectory()) return `dir ${owner(st)}`;
  if (st.isSymbolicLink()) return `symlink:${await readlink(abs)}`;
  if (st.isFile()) return `file ${owner(st)} ${st.size} ${await sha256(abs)}`;
  // overlayfs records a deletion as a 0:0 character device in the upper dir.
  if (st.isCharacterDevice() && st.rdev === 0) return 'whiteout';
  const kind = st.isCharacterDevice() ? 'chardev' : st.isBlockDevice() ? 'blockdev' : st.isFIFO() ? 'fifo' : 'socket';
  return `${kind} ${owner(st)} ${st.rdev}`;
}

async function lowerDescription(lowerDir: string, rel: string): Promise<string | undefined> {
  for (const layer of lowerDir.split(':')) {
    const st = await lstat(join(layer, rel)).catch(() => undefined);
    if (st) return st.isDirectory() ? `dir ${owner(st)}` : 'not-a-dir';
  }
  return undefined;
}

/**
 * Every entry of the host's upper dir: relative path -> 'dir MODE UID:GID',
 * 'file MODE UID:GID SIZE SHA256', 'symlink:TARGET', 'whiteout' (deleted) or a device line.
 * Skips SNAPSHOT_NOISE, and directories overlayfs merely copied up (identical to the lower
 * one) that hold nothing else, e.g. /var/log after a login wrote wtmp.
 */
export async function snapshotUpper(host: LabHost): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const names = await readdir(join(host.upperDir, rel)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (SNAPSHOT_NOISE.some((re) => re.test(r))) continue;
      const abs = join(host.upperDir, r);
      const st = await lstat(abs);
      all.set(r, await describe(abs, st));
      if (st.isDirectory()) await walk(r);
    }
  };
  await walk('');
  const dirs = [...all.keys()].filter((k) => all.get(k)?.startsWith('dir ')).sort((a, b) => b.length - a.length);
  for (const d of dirs) {
    const hasChild = [...all.keys()].some((k) => k.startsWith(d + '/'));
    if (!hasChild && (await lowerDescription(host.lowerDir, d)) === all.get(d)) all.delete(d);
  }
  return all;
}

/** Sorted '+ path' (added), '- path' (removed), '~ path' (changed) lines from a to b. */
export function diffSnapshots(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: [string, string][] = [];
  for (const [k, v] of b) {
    if (!a.has(k)) out.push([k, `+ ${k}`]);
    else if (a.get(k) !== v) out.push([k, `~ ${k}`]);
  }
  for (const k of a.keys()) if (!b.has(k)) out.push([k, `- ${k}`]);
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((x) => x[1]);
}
