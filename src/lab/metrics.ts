import { readFile, readdir, readlink } from 'node:fs/promises';
import type { LabHost } from './types.js';

/** Proportional set size (KiB) of all processes in the host's PID namespace. */
export async function hostMemoryKiB(host: LabHost): Promise<number> {
  const ns = await readlink(`/proc/${host.pid}/ns/pid`).catch(() => undefined);
  if (!ns) return 0;
  let total = 0;
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    if ((await readlink(`/proc/${p}/ns/pid`).catch(() => '')) !== ns) continue;
    const rollup = await readFile(`/proc/${p}/smaps_rollup`, 'utf8').catch(() => '');
    total += Number(rollup.match(/^Pss:\s+(\d+)/m)?.[1] ?? 0);
  }
  return total;
}
