/** Secrets out of sight: no_log values and every value a vault gave, masked wherever text is shown. */
import { vaultPlaintexts } from './keyring.js';

/** Replaces every occurrence of a secret value in a result (Ansible's no_log values masking). */
export function maskSecrets<T>(value: T, noLogValues: readonly string[]): T {
  // values that came out of a vault are secrets in every task, not only in no_log arguments
  const secrets = [...noLogValues, ...vaultPlaintexts()];
  if (!secrets.length) return value;
  const mask = (s: string): string => {
    let out = s;
    for (const sec of secrets) if (sec.length >= 3) out = out.split(sec).join('********');
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}
