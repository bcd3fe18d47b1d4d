/**
 * Network facts from one `ip -o addr`, one `ip -o link` and the default routes:
 * interfaces, per-interface facts (ansible_eth0...), all_ipv4/ipv6_addresses,
 * default_ipv4/default_ipv6. Addresses other than an interface's first primary one
 * go to ipv4_secondaries, with their label (e.g. lo:0) when they have one.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

// One `ip` process for addresses, links and the IPv4 default route (its lines are told
// apart by shape), one for the IPv6 default route (-6 cannot be given per batch line).
const SCRIPT = [
  'echo ::ipbatch::',
  "ip -o -batch - 2>/dev/null <<'KELPIE_IP'",
  'addr show',
  'link show',
  'route show default',
  'KELPIE_IP',
  'echo ::route6::; ip -6 route show default 2>/dev/null',
].join('\n');

/** Sorts `ip -o -batch` output back into addr / link / route lines. */
function splitBatch(text: string): { addr: string[]; link: string[]; route: string[] } {
  const out = { addr: [] as string[], link: [] as string[], route: [] as string[] };
  for (const line of text.split('\n')) {
    if (/^\d+:\s+\S+\s+inet6?\s/.test(line)) out.addr.push(line);
    else if (/^\d+:\s+\S+:\s+</.test(line)) out.link.push(line);
    else if (line.startsWith('default')) out.route.push(line);
  }
  return out;
}

export interface Ipv4Info {
  address: string;
  broadcast: string;
  netmask: string;
  network: string;
  prefix: string;
  label?: string;
}

export interface InterfaceFacts {
  device: string;
  active: boolean;
  type: string;
  macaddress?: string;
  mtu?: number;
  promisc: boolean;
  flags: string[];
  ipv4?: Ipv4Info;
  ipv4_secondaries?: Ipv4Info[];
  ipv6?: { address: string; prefix: string; scope: string }[];
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function ipv4Info(cidr: string, brd?: string): Ipv4Info {
  const [address, p = '32'] = cidr.split('/') as [string, string?];
  const prefix = Number(p);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (ipToInt(address) & mask) >>> 0;
  const broadcast = brd ?? (prefix >= 31 ? '' : intToIp((network | (~mask >>> 0)) >>> 0));
  return { address, broadcast, netmask: intToIp(mask), network: intToIp(network), prefix: String(prefix) };
}

/** `ip -o link` line → name, flags, mtu, state, link type and MAC. */
function parseLink(line: string): Omit<InterfaceFacts, 'ipv4' | 'ipv6' | 'ipv4_secondaries'> | undefined {
  const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/.exec(line);
  if (!m) return undefined;
  const rest = m[3]!;
  const flags = m[2]!.split(',').filter(Boolean);
  const state = /\bstate (\S+)/.exec(rest)?.[1] ?? 'UNKNOWN';
  const link = /link\/(\S+)(?:\s+(\S+))?/.exec(rest);
  const kind = link?.[1] ?? 'unknown';
  const out: Omit<InterfaceFacts, 'ipv4' | 'ipv6' | 'ipv4_secondaries'> = {
    device: m[1]!,
    // Like Ansible's operstate check: only "down" is inactive (lo reports UNKNOWN).
    active: state.toUpperCase() !== 'DOWN',
    type: kind === 'loopback' ? 'loopback' : kind === 'ether' ? 'ether' : kind,
    promisc: flags.includes('PROMISC'),
    flags,
  };
  const mtu = /\bmtu (\d+)/.exec(rest)?.[1];
  if (mtu) out.mtu = Number(mtu);
  if (link?.[2] && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(link[2])) out.macaddress = link[2];
  return out;
}

interface DefaultRoute {
  gateway: string;
  interface: string;
  src?: string;
}

function parseDefault(text: string): DefaultRoute | undefined {
  for (const line of text.split('\n')) {
    const dev = /\bdev (\S+)/.exec(line)?.[1];
    if (!line.startsWith('default') || !dev) continue;
    const src = /\bsrc (\S+)/.exec(line)?.[1];
    return { gateway: /\bvia (\S+)/.exec(line)?.[1] ?? '', interface: dev, ...(src ? { src } : {}) };
  }
  return undefined;
}

export function parseNetwork(text: string): Facts {
  const { subs } = splitSection(text);
  const batch = splitBatch(subs.get('ipbatch') ?? '');
  const addrLines = [...batch.addr, ...(subs.get('addr') ?? '').split('\n')];
  const linkLines = [...batch.link, ...(subs.get('link') ?? '').split('\n')];
  const route4 = [...batch.route, subs.get('route4') ?? ''].join('\n');
  const ifaces = new Map<string, InterfaceFacts>();
  for (const line of linkLines) {
    const l = parseLink(line);
    if (l) ifaces.set(l.device, { ...l });
  }
  const all4: string[] = [];
  const all6: string[] = [];
  for (const line of addrLines) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?\s+(inet6?)\s+(\S+)(.*)$/.exec(line.replace(/\\.*$/, ''));
    if (!m) continue;
    const [, device, family, cidr, rest] = m as unknown as [string, string, string, string, string];
    const iface = ifaces.get(device) ?? { device, active: true, type: 'unknown', promisc: false, flags: [] };
    ifaces.set(device, iface);
    const words = rest.trim().split(/\s+/);
    if (family === 'inet') {
      const brd = /\bbrd (\S+)/.exec(rest)?.[1];
      const info = ipv4Info(cidr, brd);
      const label = words[words.length - 1];
      if (label && label !== device && label.startsWith(device + ':')) info.label = label;
      const secondary = words.includes('secondary');
      if (!iface.ipv4 && !secondary && !info.label) iface.ipv4 = info;
      else (iface.ipv4_secondaries ??= []).push(info);
      if (!info.address.startsWith('127.')) all4.push(info.address);
    } else {
      const [address, prefix = '128'] = cidr.split('/') as [string, string?];
      const scope = /\bscope (\S+)/.exec(rest)?.[1] ?? 'global';
      (iface.ipv6 ??= []).push({ address, prefix, scope });
      if (address !== '::1') all6.push(address);
    }
  }
  const facts: Facts = { interfaces: [...ifaces.keys()], all_ipv4_addresses: all4, all_ipv6_addresses: all6 };
  // A device whose only IPv4 addresses are labelled still gets one as its ipv4, as `ip addr` shows it first.
  for (const iface of ifaces.values()) {
    if (!iface.ipv4 && iface.ipv4_secondaries?.length) {
      const first = iface.ipv4_secondaries.find((s) => !s.label);
      if (first) {
        iface.ipv4 = first;
        iface.ipv4_secondaries = iface.ipv4_secondaries.filter((s) => s !== first);
      }
    }
    facts[iface.device.replace(/[-:.]/g, '_')] = iface;
  }
  const r4 = parseDefault(route4);
  facts.default_ipv4 = {};
  if (r4) {
    const i = ifaces.get(r4.interface);
    const v4 = r4.src ? [i?.ipv4, ...(i?.ipv4_secondaries ?? [])].find((x) => x?.address === r4.src) : i?.ipv4;
    facts.default_ipv4 = {
      ...(v4 ?? (r4.src ? { address: r4.src } : {})),
      gateway: r4.gateway,
      interface: r4.interface,
      alias: r4.interface,
      ...(i?.macaddress ? { macaddress: i.macaddress } : {}),
      ...(i?.mtu !== undefined ? { mtu: i.mtu } : {}),
      type: i?.type ?? 'unknown',
    };
    delete (facts.default_ipv4 as Record<string, unknown>).label;
  }
  const r6 = parseDefault(subs.get('route6') ?? '');
  facts.default_ipv6 = {};
  if (r6) {
    const i = ifaces.get(r6.interface);
    const v6 = i?.ipv6?.find((a) => a.scope === 'global') ?? i?.ipv6?.[0];
    facts.default_ipv6 = {
      ...(v6 ?? {}),
      gateway: r6.gateway,
      interface: r6.interface,
      ...(i?.macaddress ? { macaddress: i.macaddress } : {}),
      ...(i?.mtu !== undefined ? { mtu: i.mtu } : {}),
      type: i?.type ?? 'unknown',
    };
  }
  return facts;
}

export const networkFamily: FactFamily = { name: 'network', subset: 'network', script: SCRIPT, parse: parseNetwork };
