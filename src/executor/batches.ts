/** serial: cut a play's hosts into batches (number, percent, or a list whose last size repeats). */
import { KelpieError } from '../errors.js';

function sizeOf(spec: unknown, total: number): number {
  if (typeof spec === 'number') return Math.max(1, Math.floor(spec));
  const s = String(spec).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return Math.max(1, Math.floor((total * Number(pct[1])) / 100));
  if (/^\d+$/.test(s)) return Math.max(1, Number(s));
  throw new KelpieError('config', `invalid serial value '${s}'`, { hint: 'use a number, a percentage like "30%", or a list of them' });
}

export function batchHosts<T>(hosts: readonly T[], serial: unknown): T[][] {
  if (serial === undefined || serial === null || serial === 0 || serial === '0' || hosts.length === 0) return hosts.length ? [hosts.slice()] : [];
  const specs = Array.isArray(serial) ? serial : [serial];
  if (!specs.length) return [hosts.slice()];
  const out: T[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizeOf(specs[Math.min(k, specs.length - 1)], hosts.length);
    out.push(hosts.slice(i, i + size));
    i += size;
    k++;
  }
  return out;
}
