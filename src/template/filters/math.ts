/** Ansible's math filters: log, pow, root, permutations, combinations, human_to_bytes/human_readable. */
import { createHash } from 'node:crypto';
import { TemplateError } from '../../errors.js';
import { makeFloat, num, pyStr, truthy, tuple } from '../pyvalue.js';
import { arg, asList, splitArgs, type FilterFn } from './args.js';

function permutations<T>(items: T[], r: number): T[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1).map((rest) => [x, ...rest]));
}

function combinations<T>(items: T[], r: number): T[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => combinations(items.slice(i + 1), r - 1).map((rest) => [x, ...rest]));
}

const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/** '1 KB', '2M', '10 Mb' (isbits) → an int, 1024-based as Ansible's human_to_bytes. */
function humanToBytes(text: string, defaultUnit: string | undefined, isbits: boolean): number {
  const m = /^\s*(\d*\.?\d+)\s*([A-Za-z]+)?\s*$/.exec(text);
  if (!m) throw new TemplateError(`human_to_bytes() can't interpret following string: ${text}`);
  const unit = m[2] ?? defaultUnit ?? '';
  const base = isbits ? 'b' : 'B';
  const prefix = unit.length === 0 ? '' : unit.length === 1 && unit !== base ? unit : unit.slice(0, -1);
  const suffix = unit.length === 0 || (unit.length === 1 && unit !== base) ? base : unit.slice(-1);
  const power = PREFIXES.indexOf(prefix.toUpperCase());
  if (power < 0 || suffix !== base) throw new TemplateError(`human_to_bytes() can't interpret following string: ${text}`);
  return Math.round(parseFloat(m[1]!) * 1024 ** power);
}

function humanReadable(n: number, isbits: boolean, unit: string | undefined): string {
  const suffix = isbits ? 'b' : 'B';
  let power = PREFIXES.length - 1;
  if (unit !== undefined) power = Math.max(0, PREFIXES.indexOf(unit.toUpperCase().replace(/B$/i, '')));
  else while (power > 0 && Math.abs(n) < 1024 ** power) power--;
  const value = n / 1024 ** power;
  return `${value.toFixed(2)} ${power === 0 ? (isbits ? 'Bits' : 'Bytes') : PREFIXES[power] + suffix}`;
}

/** uuid5 (SHA-1 of namespace bytes + name), Ansible's default namespace. */
function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

export const mathFilters: Record<string, FilterFn> = {
  log: (v, base) => makeFloat(base === undefined ? Math.log(num(v)) : Math.log(num(v)) / Math.log(num(base))),
  pow: (v, y) => makeFloat(Math.pow(num(v), num(y))),
  root: (v, base) => makeFloat(base === undefined || num(base) === 2 ? Math.sqrt(num(v)) : Math.pow(num(v), 1 / num(base))),
  permutations(v, r) {
    const items = asList(v, 'permutations');
    return permutations(items, r === undefined || r === null ? items.length : num(r)).map((p) => tuple(p));
  },
  combinations: (v, r) => combinations(asList(v, 'combinations'), num(r)).map((c) => tuple(c)),
  human_to_bytes(v, ...rest) {
    const a = splitArgs(rest);
    const unit = arg(a, 0, 'default_unit', undefined);
    return humanToBytes(pyStr(v), unit === undefined || unit === null ? undefined : pyStr(unit), truthy(arg(a, 1, 'isbits', false)));
  },
  human_readable(v, ...rest) {
    const a = splitArgs(rest);
    const unit = arg(a, 1, 'unit', undefined);
    return humanReadable(num(v), truthy(arg(a, 0, 'isbits', false)), unit === undefined || unit === null ? undefined : pyStr(unit));
  },
  to_uuid: (v, ...rest) => uuid5(pyStr(v), pyStr(arg(splitArgs(rest), 0, 'namespace', ANSIBLE_UUID_NAMESPACE))),
};
