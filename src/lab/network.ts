import { run } from './exec.js';

/**
 * Main-namespace plumbing: one bridge per lab carrying the lab's /24, and one veth pair per
 * host whose far end lives in the host's named netns as eth0. No route, NAT or forwarding is
 * added, so hosts reach only each other and the controller's bridge address.
 */
export function subnetOf(index: number): { prefix: string; gateway: string } {
  return { prefix: `10.203.${index}`, gateway: `10.203.${index}.1` };
}

export function bridgeName(index: number): string {
  return `klab${index}`;
}

/**
 * The lab's second, private network (10.204.<index>.0/24), for hosts reachable only through
 * a bastion. Its bridge has no address on the controller, and the subnet is routed
 * `unreachable` here, so nothing the controller sends to it leaves the machine.
 */
export function backSubnetOf(index: number): string {
  return `10.204.${index}`;
}

export function backBridgeName(index: number): string {
  return `klab${index}b`;
}

export async function createBackBridge(bridge: string, prefix: string): Promise<void> {
  await ipBatch([`link add ${bridge} type bridge`, `link set ${bridge} up`, `route add unreachable ${prefix}.0/24`]);
}

export function vethName(index: number, host: number): string {
  return `kl${index}h${host}`;
}

async function ipBatch(lines: string[], force = false): Promise<void> {
  if (lines.length === 0) return;
  await run('ip', [...(force ? ['-force'] : []), '-batch', '-'], { input: lines.join('\n') + '\n', check: !force });
}

export async function createBridge(bridge: string, gateway: string): Promise<void> {
  await ipBatch([`link add ${bridge} type bridge`, `addr add ${gateway}/24 dev ${bridge}`, `link set ${bridge} up`]);
}

/** A veth from each host's netns (created here unless it is a host's second link) to the bridge. */
export async function createHostLinks(bridge: string, hosts: { netns: string; veth: string }[], peer: 'eth0' | 'eth1' = 'eth0'): Promise<void> {
  const lines: string[] = [];
  for (const h of hosts) {
    lines.push(
      ...(peer === 'eth0' ? [`netns add ${h.netns}`] : []),
      `link add ${h.veth} type veth peer name ${peer} netns ${h.netns}`,
      `link set ${h.veth} master ${bridge}`,
      `link set ${h.veth} up`,
    );
  }
  await ipBatch(lines);
}

/** Tolerant of anything already gone: used after crashes too. */
export async function deleteNetwork(bridge: string, hosts: { netns: string; veth: string }[], back?: { bridge: string; prefix: string }): Promise<void> {
  const existing = new Set((await run('ip', ['netns', 'list'], { check: false })).stdout.split('\n').map((l) => l.split(' ')[0]));
  const links = new Set(
    (await run('ip', ['-o', 'link', 'show'], { check: false })).stdout
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0]),
  );
  const lines: string[] = [];
  for (const h of hosts) if (existing.has(h.netns)) lines.push(`netns del ${h.netns}`);
  for (const h of hosts) if (links.has(h.veth)) lines.push(`link del ${h.veth}`);
  if (links.has(bridge)) lines.push(`link del ${bridge}`);
  if (back) {
    if (links.has(back.bridge)) lines.push(`link del ${back.bridge}`);
    const routes = (await run('ip', ['route', 'show', 'type', 'unreachable'], { check: false })).stdout;
    if (routes.split('\n').some((l) => l.includes(`${back.prefix}.0/24`))) lines.push(`route del unreachable ${back.prefix}.0/24`);
  }
  await ipBatch(lines, true);
}

export async function listNetns(): Promise<string[]> {
  const out = (await run('ip', ['netns', 'list'], { check: false })).stdout;
  return out.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}
