import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bridgeName } from './network.js';
import { labRoot, labStateDir } from './paths.js';

/** Everything `labDown` needs to undo a lab, written before the resources are created. */
export interface HostRecord {
  name: string;
  address: string;
  port: number;
  netns: string;
  veth: string;
  hostDir: string;
  upperDir: string;
  workDir: string;
  mergedDir: string;
  hostKeyFile: string;
  hostKeyPub: string;
  /** On the back network only (address is there); reached through `via`, a host on both. */
  via?: string;
  /** A host on both networks: its second link and its address on the back network. */
  backVeth?: string;
  backAddress?: string;
  /** The `unshare` launcher in the main PID namespace, and the host's PID 1 as seen from here. */
  launcherPid?: number;
  launcherStart?: string;
  pid?: number;
  pidStart?: string;
}

export interface LabState {
  name: string;
  index: number;
  bridge: string;
  gateway: string;
  /** The private back network, when some hosts sit behind a bastion. */
  backBridge?: string;
  backPrefix?: string;
  lowerDir: string;
  createdAt: string;
  hosts: HostRecord[];
}

export function stateFile(name: string): string {
  return join(labStateDir(name), 'state.json');
}

export async function readState(name: string): Promise<LabState | null> {
  try {
    return JSON.parse(await readFile(stateFile(name), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

export async function writeState(state: LabState): Promise<void> {
  const dir = labStateDir(state.name);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.state.${process.pid}.json`);
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, stateFile(state.name));
}

export async function allLabNames(): Promise<string[]> {
  return readdir(join(labRoot(), 'labs')).catch(() => [] as string[]);
}

/** Lowest subnet index (10.203.<index>.0/24) that no other recorded lab uses. */
export async function freeIndex(name: string): Promise<number> {
  const used = new Set<number>();
  for (const other of await allLabNames()) {
    if (other === name) continue;
    const s = await readState(other);
    if (s) used.add(s.index);
  }
  // a bridge that exists without a state file (another lab root, a crash) is in use too
  for (let i = 0; i < 256; i++) if (!used.has(i) && !existsSync(`/sys/class/net/${bridgeName(i)}`)) return i;
  throw new Error('no free lab subnet left in 10.203.0.0/16');
}

/** Start time of a process (field 22 of /proc/PID/stat), to never signal a recycled PID. */
export async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
