/**
 * Where the CPU of a run goes: the controller (the tool's own processes) versus the lab hosts
 * (everything running inside each host's PID namespace: sshd, the shells, dpkg, useradd …),
 * versus the rest of the machine (the other engineers' jobs on the same 2 cores).
 *
 * All from /proc, as deltas of snapshots taken just before and just after a run:
 * - controller: the bench process's cutime+cstime (the tool is our child; when libuv reaps it,
 *   its CPU and that of every descendant it reaped is added there), plus processes matched by
 *   command line that leave the tree (Ansible's ControlPersist masters), read live.
 * - hosts: for each process whose PID namespace is a lab host's, utime+stime+cutime+cstime.
 *   A process's cutime holds the children it has reaped, so dead dpkg/useradd runs are still
 *   counted (in their sshd/shell ancestor); nothing is counted twice because a reaped child no
 *   longer has a /proc entry.
 * - machine: /proc/stat's busy jiffies over all CPUs.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const HZ = 100; // USER_HZ on Linux

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** utime, stime, cutime, cstime in clock ticks (fields 14–17 of /proc/PID/stat). */
export function statTicks(stat: string): { self: number; children: number } | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field N is rest[N - 3]
  const n = (f: number): number => Number(rest[f - 3]);
  if (rest.length < 15 || [14, 15, 16, 17].some((f) => !Number.isFinite(n(f)))) return undefined;
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

function pidNs(pid: number | string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** Busy ticks of the whole machine (all CPUs) from /proc/stat's first line. */
export function machineBusyTicks(procStat = read('/proc/stat')): number {
  const f = (procStat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return user + nice + system + irq + softirq + steal;
}

export interface CpuSnapshot {
  /** The bench process's reaped children (the controller, once it has exited). */
  reapedTicks: number;
  /** Live processes outside the tree that belong to the controller (matched by command line). */
  extraTicks: number;
  /** Sum over every process inside the lab hosts' PID namespaces. */
  hostTicks: number;
  machineTicks: number;
  at: number;
}

/**
 * @param hostPids the lab hosts' PID 1 (LabHost.pid), whose PID namespaces are the hosts
 * @param alsoMatch command-line substring of controller processes living outside our tree
 */
export function cpuSnapshot(hostPids: readonly number[], alsoMatch?: string): CpuSnapshot {
  const namespaces = new Set(hostPids.map((p) => pidNs(p)).filter((n): n is string => n !== undefined));
  let hostTicks = 0;
  let extraTicks = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const ns = pidNs(p);
    if (ns !== undefined && namespaces.has(ns)) {
      const t = statTicks(read(`/proc/${p}/stat`));
      if (t) hostTicks += t.self + t.children;
    } else if (alsoMatch && read(`/proc/${p}/cmdline`).includes(alsoMatch)) {
      const t = statTicks(read(`/proc/${p}/stat`));
      if (t) extraTicks += t.self + t.children;
    }
  }
  const self = statTicks(read('/proc/self/stat'));
  return { reapedTicks: self?.children ?? 0, extraTicks, hostTicks, machineTicks: machineBusyTicks(), at: performance.now() };
}

export interface CpuUse {
  wall_s: number;
  /** CPU seconds of the controller: the tool's processes (for Ansible: its forks, ssh clients and masters). */
  controller_cpu_s: number;
  /** CPU seconds spent inside the lab hosts (sshd, shells, the commands the tasks ran). */
  hosts_cpu_s: number;
  /** Everything else the machine did meanwhile (other jobs; the bench's own sampling). */
  other_cpu_s: number;
  /** Busy CPU seconds of the whole machine over the run, and what 2 cores could give. */
  machine_cpu_s: number;
  machine_capacity_s: number;
}

export function cpuUse(a: CpuSnapshot, b: CpuSnapshot, cores: number): CpuUse {
  const s = (ticks: number): number => Math.max(0, ticks) / HZ;
  const controller = s(b.reapedTicks - a.reapedTicks + b.extraTicks - a.extraTicks);
  const hosts = s(b.hostTicks - a.hostTicks);
  const machine = s(b.machineTicks - a.machineTicks);
  const wall = (b.at - a.at) / 1000;
  return {
    wall_s: wall,
    controller_cpu_s: controller,
    hosts_cpu_s: hosts,
    other_cpu_s: Math.max(0, machine - controller - hosts),
    machine_cpu_s: machine,
    machine_capacity_s: wall * cores,
  };
}
