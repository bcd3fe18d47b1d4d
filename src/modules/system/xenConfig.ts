/**
 * The numbers of an xl/xm domain config (`vcpus = 2`, `maxvcpus = 4`) and the live VCPU
 * ceiling of a running domain. xl boots a domain with `maxvcpus` VCPU slots (or `vcpus`
 * when maxvcpus is absent) and a live `vcpu-set` can never go above that number, so a
 * domain started with `vcpus = 1` needs a new config AND a fresh start to get a second VCPU.
 */

const keyLine = (key: string): RegExp => new RegExp(`^([ \\t]*${key}[ \\t]*=[ \\t]*)([^#\\n]*?)([ \\t]*(#.*)?)$`, 'm');

/** `key = N` of a config, when it is a plain integer (quotes allowed). */
export function configNumber(text: string, key: 'vcpus' | 'maxvcpus'): number | undefined {
  const m = keyLine(key).exec(text);
  const v = m?.[2]?.trim().replace(/^(['"])(\d+)\1$/, '$2');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Sets `key = N`: replaces the line (keeping its spacing and comment) or appends one. */
export function setConfigNumber(text: string, key: 'vcpus' | 'maxvcpus', n: number): string {
  const re = keyLine(key);
  if (re.test(text)) return text.replace(re, (_m, head: string, _v: string, tail: string) => `${head}${n}${tail}`);
  return (text === '' || text.endsWith('\n') ? text : text + '\n') + `${key} = ${n}\n`;
}

export const setConfigVcpus = (text: string, n: number): string => setConfigNumber(text, 'vcpus', n);

/**
 * The config a domain should boot with to get `vcpus` VCPUs: `vcpus = N`, and `maxvcpus`
 * raised to N where the config has a lower one or where the running domain's ceiling is
 * below N (the reboot that follows must come up with room for N).
 */
export function wantedConfig(text: string, vcpus: number, liveCeiling: number | undefined): string {
  let out = setConfigVcpus(text, vcpus);
  const max = configNumber(text, 'maxvcpus');
  if ((max !== undefined && max < vcpus) || (max === undefined && liveCeiling !== undefined && liveCeiling < vcpus)) out = setConfigNumber(out, 'maxvcpus', vcpus);
  return out;
}

/**
 * VCPU slots of each domain from `xl vcpu-list` / `xm vcpu-list`: one row per slot, online
 * or not (`Name ID VCPU CPU State Time(s) ...`, CPU `-` for an offline slot), so the row
 * count is the domain's maxvcpus.
 */
export function parseVcpuSlots(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\S+)\s+([\d.]+)/.exec(line);
    if (!m) continue;
    const name = m[1]!.trim();
    out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}
