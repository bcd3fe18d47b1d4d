/**
 * The IPVS table as `ipvsadm -L -n` prints it (ipvsadm 1.31 format):
 *   TCP  10.0.0.5:25 lblc persistent 300 mask 255.255.255.0
 *     -> 10.0.1.5:25                  Masq    1      0          0
 *   FWM  1 wlc
 * and the `ipvsadm -S -n` (ipvsadm-save) lines for the same table.
 */

export type Forward = 'Masq' | 'Route' | 'Tunnel' | 'Local';
export type Proto = 'TCP' | 'UDP' | 'FWM';

export interface RealServer {
  /** `10.0.1.5:25`, `[fd00::7]:53`. */
  address: string;
  forward: Forward;
  weight: number;
}

export interface VirtualService {
  proto: Proto;
  /** `10.0.0.5:25`, `[fd00::5]:53`, or the mark number for FWM. */
  key: string;
  scheduler: string;
  /** Persistence timeout in seconds; undefined when not persistent. */
  persistent?: number;
  netmask?: string;
  reals: RealServer[];
}

export function parseIpvsList(text: string): VirtualService[] {
  const out: VirtualService[] = [];
  for (const line of text.split('\n')) {
    const svc = /^(TCP|UDP|FWM)\s+(\S+)\s+(\S+)(.*)$/.exec(line);
    if (svc) {
      const s: VirtualService = { proto: svc[1] as Proto, key: svc[2]!, scheduler: svc[3]!, reals: [] };
      const p = /\bpersistent (\d+)/.exec(svc[4]!);
      if (p) s.persistent = Number(p[1]);
      const m = /\bmask (\S+)/.exec(svc[4]!);
      if (m) s.netmask = m[1]!;
      out.push(s);
      continue;
    }
    const rs = /^\s+->\s+(\S+)\s+(Masq|Route|Tunnel|Local)\s+(\d+)/.exec(line);
    if (rs && out.length) out[out.length - 1]!.reals.push({ address: rs[1]!, forward: rs[2] as Forward, weight: Number(rs[3]) });
  }
  return out;
}

const FWD_FLAG: Record<Forward, string> = { Masq: '-m', Route: '-g', Tunnel: '-i', Local: '-g' };

export function forwardFlag(f: Forward): string {
  return FWD_FLAG[f];
}

/** Method names users write → ipvsadm's listing name. */
export function parseForward(method: string): Forward | undefined {
  const m = method.trim().toLowerCase().replace(/^-+/, '');
  if (['g', 'gatewaying', 'gateway', 'routing', 'route', 'direct', 'dr'].includes(m)) return 'Route';
  if (['m', 'masquerading', 'masq', 'nat'].includes(m)) return 'Masq';
  if (['i', 'tunnelling', 'tunneling', 'tunnel', 'ipip', 'tun'].includes(m)) return 'Tunnel';
  return undefined;
}

/** `-t 10.0.0.5:25`, `-u [fd00::5]:53`, `-f 1` as argv words. */
export function serviceFlag(s: Pick<VirtualService, 'proto' | 'key'>): string[] {
  return [s.proto === 'TCP' ? '-t' : s.proto === 'UDP' ? '-u' : '-f', s.key];
}

/** The service's options for -A / -E. */
export function serviceOptions(s: VirtualService): string[] {
  const w = ['-s', s.scheduler];
  if (s.persistent !== undefined) {
    w.push('-p', String(s.persistent));
    if (s.netmask && s.netmask !== '255.255.255.255') w.push('-M', s.netmask);
  }
  return w;
}

/** `ipvsadm -S -n` text for a table, in the order given. */
export function formatIpvsSave(services: readonly VirtualService[]): string {
  const lines: string[] = [];
  for (const s of services) {
    lines.push(['-A', ...serviceFlag(s), ...serviceOptions(s)].join(' '));
    for (const r of s.reals) lines.push(['-a', ...serviceFlag(s), '-r', r.address, forwardFlag(r.forward), '-w', String(r.weight)].join(' '));
  }
  return lines.map((l) => l + '\n').join('');
}

/** A readable one-service block for diffs (the -L -n lines without the counters). */
export function formatService(s: VirtualService): string {
  let head = `${s.proto.padEnd(4)} ${s.key} ${s.scheduler}`;
  if (s.persistent !== undefined) head += ` persistent ${s.persistent}` + (s.netmask && s.netmask !== '255.255.255.255' ? ` mask ${s.netmask}` : '');
  return [head, ...s.reals.map((r) => `  -> ${r.address.padEnd(28)} ${r.forward.padEnd(7)} ${r.weight}`)].join('\n') + '\n';
}

/** `10.0.1.5` + port → `10.0.1.5:25`; bare IPv6 gets brackets. */
export function withPort(address: string, port: number | string): string {
  if (address.startsWith('[')) return address.includes(']:') ? address : `${address}:${port}`;
  if ((address.match(/:/g) ?? []).length > 1) return `[${address.toLowerCase()}]:${port}`;
  return address.includes(':') ? address : `${address}:${port}`;
}
