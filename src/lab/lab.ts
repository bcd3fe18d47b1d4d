import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './exec.js';
import { DEV_TEMPLATE_SCRIPT, startHost, waitForSsh } from './host.js';
import { ensureImage } from './image.js';
import { ensureLabKey, makeHostKey } from './keys.js';
import { labInventoryYaml, labSshConfig } from './access.js';
import { backBridgeName, backSubnetOf, bridgeName, createBackBridge, createBridge, createHostLinks, deleteNetwork, listNetns, subnetOf, vethName } from './network.js';
import { labRoot, labKeyFile, labStateDir } from './paths.js';
import { withLock } from './lock.js';
import { freeIndex, processStart, readState, writeState, type HostRecord, type LabState } from './state.js';
import type { Lab, LabHost, LabLog } from './types.js';

const MAX_HOSTS = 240;

function checkName(name: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,23}$/.test(name)) throw new Error(`bad lab name '${name}': use 1-24 of [a-z0-9-]`);
}

/**
 * Several people (or CI jobs) testing on one machine set KELPIE_LAB_PREFIX, so the fixed lab
 * names the tests use never collide: `labUp(1, { name: 'facts' })` then starts `dev1-facts`.
 */
function scoped(name: string): string {
  const prefix = process.env.KELPIE_LAB_PREFIX ?? '';
  return prefix && !name.startsWith(prefix) ? `${prefix}${name}` : name;
}

function hostName(lab: string, i: number): string {
  const n = `host${String(i).padStart(2, '0')}`;
  return lab === 'default' ? n : `${lab}-${n}`;
}

function netnsPrefix(lab: string): string {
  return `kl_${lab}_`;
}

function toLab(state: LabState): Lab {
  const dir = labStateDir(state.name);
  const hosts: LabHost[] = state.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    port: h.port,
    upperDir: h.upperDir,
    rootDir: `/proc/${h.pid ?? 0}/root`,
    pid: h.pid ?? 0,
    lowerDir: state.lowerDir,
    netns: h.netns,
    ...(h.via !== undefined ? { via: h.via } : {}),
    ...(h.backAddress !== undefined ? { backAddress: h.backAddress } : {}),
  }));
  return {
    name: state.name,
    stateDir: dir,
    hosts,
    inventoryFile: join(dir, 'inventory.yml'),
    knownHostsFile: join(dir, 'known_hosts'),
    privateKeyFile: labKeyFile(),
    sshConfigFile: join(dir, 'ssh_config'),
  };
}

export interface LabUpOptions {
  name?: string;
  log?: LabLog;
  /**
   * The last `behind` hosts sit on a second, private network only, reachable through the
   * first host (the bastion, on both networks): the controller has no route to them.
   */
  behind?: number;
}

/**
 * Start `count` fresh hosts (replacing a lab of the same name if one is up). Different lab
 * names get different /24 subnets and bridges, so labs coexist.
 */
export async function labUp(count: number, opts: LabUpOptions = {}): Promise<Lab> {
  const name = scoped(opts.name ?? 'default');
  const log = opts.log ?? (() => {});
  checkName(name);
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) throw new Error(`host count must be 1..${MAX_HOSTS}`);
  const behind = opts.behind ?? 0;
  if (!Number.isInteger(behind) || behind < 0 || behind >= count) throw new Error(`hosts behind the bastion must be 0..${count - 1}`);
  const lowerDir = await ensureImage(log);
  await ensureLabKey();
  if (await readState(name)) await labDown(name);
  // Allocating the subnet and recording the lab is one step, so concurrent labUp calls for
  // different names never pick the same subnet.
  const state = await withLock(join(labRoot(), 'labs.lock'), async () => planLab(name, count, lowerDir, behind));
  return bootLab(state, log);
}

/** Pick the subnet, name every resource and record them, before anything exists. */
async function planLab(name: string, count: number, lowerDir: string, behind: number): Promise<LabState> {
  const index = await freeIndex(name);
  const { prefix, gateway } = subnetOf(index);
  const backPrefix = backSubnetOf(index);
  const bastion = hostName(name, 1);
  const dir = labStateDir(name);
  const hosts: HostRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const hn = hostName(name, i);
    const hostDir = join(dir, 'hosts', hn);
    const isBehind = i > count - behind;
    hosts.push({
      name: hn,
      address: `${isBehind ? backPrefix : prefix}.${10 + i}`,
      ...(isBehind ? { via: bastion } : {}),
      ...(behind > 0 && i === 1 ? { backAddress: `${backPrefix}.${10 + i}`, backVeth: `${vethName(index, i)}b` } : {}),
      port: 22,
      netns: `${netnsPrefix(name)}${hn}`,
      veth: vethName(index, i),
      hostDir,
      upperDir: join(hostDir, 'upper'),
      workDir: join(hostDir, 'work'),
      mergedDir: join(hostDir, 'merged'),
      hostKeyFile: join(hostDir, 'ssh_host_ed25519_key'),
      hostKeyPub: '',
    });
  }
  const back = behind > 0 ? { backBridge: backBridgeName(index), backPrefix } : {};
  const state: LabState = { name, index, bridge: bridgeName(index), gateway, ...back, lowerDir, createdAt: new Date().toISOString(), hosts };
  // Recorded before anything exists, so labDown can always undo a half-made lab.
  await writeState(state);
  return state;
}

async function bootLab(state: LabState, log: LabLog): Promise<Lab> {
  const { name, hosts, gateway, lowerDir } = state;
  const dir = labStateDir(name);
  const prefix = gateway.replace(/\.1$/, '');
  const count = hosts.length;
  const t: number[] = [Date.now()];
  try {
    await Promise.all(
      hosts.map(async (h) => {
        for (const d of [h.upperDir, h.workDir, h.mergedDir]) await mkdir(d, { recursive: true });
        h.hostKeyPub = await makeHostKey(h.hostKeyFile);
      }),
    );
    const devTemplate = join(dir, 'dev');
    await run('/bin/sh', ['-euc', DEV_TEMPLATE_SCRIPT], { env: { ...process.env, DEVT: devTemplate } });
    t.push(Date.now());
    await createBridge(state.bridge, gateway);
    await createHostLinks(state.bridge, hosts.filter((h) => h.via === undefined));
    if (state.backBridge !== undefined && state.backPrefix !== undefined) {
      await createBackBridge(state.backBridge, state.backPrefix);
      await createHostLinks(state.backBridge, hosts.filter((h) => h.via !== undefined));
      await createHostLinks(state.backBridge, hosts.filter((h) => h.backVeth !== undefined).map((h) => ({ netns: h.netns, veth: h.backVeth! })), 'eth1');
    }
    t.push(Date.now());
    await Promise.all(
      hosts.map(async (h) => {
        Object.assign(h, await startHost(h, { lowerDir, devTemplate, logFile: join(h.hostDir, 'log'), prefixLen: 24 }));
      }),
    );
    await writeState(state);
    t.push(Date.now());
    await Promise.all(hosts.map((h) => waitForSsh(h, join(h.hostDir, 'log'))));
    t.push(Date.now());
    const lab = toLab(state);
    await writeFile(lab.knownHostsFile, hosts.map((h) => `${h.address} ${h.hostKeyPub}\n`).join(''));
    await writeFile(lab.inventoryFile, labInventoryYaml(lab));
    await writeFile(lab.sshConfigFile, labSshConfig(lab));
    const phase = (i: number) => `${(t[i + 1] ?? 0) - (t[i] ?? 0)}`;
    const backNote = state.backPrefix ? ` and ${hosts.filter((h) => h.via).length} behind ${hosts[0]!.name} on ${state.backPrefix}.0/24` : '';
    log(`lab '${name}': ${count} host(s) up on ${prefix}.0/24${backNote} (ms: keys ${phase(0)}, links ${phase(1)}, start ${phase(2)}, sshd ${phase(3)}); inventory ${lab.inventoryFile}`);
    return lab;
  } catch (e) {
    await labDown(name).catch(() => {});
    throw e;
  }
}

/** The running lab of that name, or null when none is recorded. */
export async function labStatus(name = 'default'): Promise<Lab | null> {
  name = scoped(name);
  const state = await readState(name);
  return state ? toLab(state) : null;
}

/** Whether the host's PID 1 is still the process that was recorded. */
export async function hostAlive(h: { pid: number }, state?: LabState): Promise<boolean> {
  const rec = state?.hosts.find((x) => x.pid === h.pid);
  const start = await processStart(h.pid);
  return start !== undefined && (rec?.pidStart === undefined || rec.pidStart === start) && (await isLive(h.pid));
}

async function killRecorded(pid: number | undefined, start: string | undefined): Promise<number | undefined> {
  if (!pid) return undefined;
  const now = await processStart(pid);
  if (now === undefined || (start && now !== start)) return undefined;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return undefined;
  }
  return pid;
}

/**
 * Stop every recorded process by PID (killing a host's PID 1 ends its whole PID namespace),
 * delete netns, veths and bridge, unmount leftovers and remove the state. Safe when nothing
 * is up and after a crash.
 */
export async function labDown(name = 'default'): Promise<void> {
  name = scoped(name);
  checkName(name);
  const state = await readState(name);
  const dir = labStateDir(name);
  const recorded = state?.hosts ?? [];
  const netnsNames = new Set(recorded.map((h) => h.netns));
  for (const ns of await listNetns()) if (ns.startsWith(netnsPrefix(name))) netnsNames.add(ns);
  const killed: number[] = [];
  for (const h of recorded) {
    for (const p of [await killRecorded(h.pid, h.pidStart), await killRecorded(h.launcherPid, h.launcherStart)]) {
      if (p) killed.push(p);
    }
  }
  // Anything else still inside the lab's netns (e.g. after a crash lost the PIDs).
  for (const ns of netnsNames) {
    const pids = (await run('ip', ['netns', 'pids', ns], { check: false })).stdout.split(/\s+/).map(Number).filter((n) => n > 0);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
        killed.push(p);
      } catch {
        /* already gone */
      }
    }
  }
  // Zombies count as gone: the machine's init may take a while to reap orphaned launchers,
  // but a zombie has already left its namespaces and mounts.
  for (let i = 0; i < 500; i++) {
    const live = await Promise.all(killed.map(isLive));
    if (!live.some(Boolean)) break;
    await sleep(10);
  }
  const byNs = [...netnsNames].map((ns) => recorded.find((h) => h.netns === ns) ?? { netns: ns, veth: '' });
  const back = state?.backBridge !== undefined && state.backPrefix !== undefined ? { bridge: state.backBridge, prefix: state.backPrefix } : undefined;
  const veths = byNs.flatMap((h) => [{ netns: h.netns, veth: h.veth || 'none' }, ...('backVeth' in h && h.backVeth ? [{ netns: h.netns, veth: h.backVeth }] : [])]);
  await deleteNetwork(state?.bridge ?? '', veths, back);
  await unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
}

/** True while the process exists and is not a zombie. */
export async function isLive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '');
  const under = mounts.filter((m) => m === dir || m.startsWith(dir + '/')).sort().reverse();
  for (const m of under) await run('umount', ['-l', m], { check: false });
}
