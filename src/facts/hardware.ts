/**
 * Memory, CPU and uptime facts from /proc (one grep for all of it, no other program).
 * CPU counting follows Ansible: processor_count = sockets (distinct physical ids),
 * processor_cores = cores per socket, processor_vcpus = threads × cores × sockets.
 * processor_nproc is what Ansible counts, len(os.sched_getaffinity(0)) of its module: the
 * login's affinity, which the grep reading /proc/self/status inherits as the module does
 * (a cpuset or taskset on sshd shows in both), cut to the online CPUs as sched_getaffinity
 * cuts it (Cpus_allowed_list may name possible but offline CPUs). Not `nproc`, which also
 * obeys OMP_NUM_THREADS and OMP_THREAD_LIMIT, where Ansible does not.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

// Only the fields we use: the flags lines alone are kilobytes per CPU.
const SCRIPT = "echo ::cpuinfo::; grep -E '^(processor|vendor_id|model name|physical id|core id|cpu cores|siblings|Processor|cpu model|CPU implementer|CPU part|Hardware)[[:space:]]*:' /proc/cpuinfo 2>/dev/null";
const STATUS = '/proc/self/status';
const ONLINE = '/sys/devices/system/cpu/online';

function meminfo(text: string): Record<string, number> {
  const kb: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb[m[1]!] = Number(m[2]);
  }
  return kb;
}

export function parseCpuinfo(text: string, nproc?: number): Facts {
  const processor: string[] = [];
  const sockets = new Set<string>();
  let cores = 0;
  let siblings = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'processor') {
      count++;
      processor.push(value);
    } else if (key === 'vendor_id' || key === 'model name' || key === 'cpu model' || key === 'Processor') processor.push(value);
    else if (key === 'physical id') sockets.add(value);
    else if (key === 'cpu cores') cores = Number(value) || cores;
    else if (key === 'siblings') siblings = Number(value) || siblings;
  }
  const socketCount = sockets.size || count || 1;
  const coreCount = cores || (sockets.size ? 1 : 1);
  const threads = cores && siblings ? Math.max(1, Math.floor(siblings / cores)) : 1;
  // Without physical ids (ARM, some VMs) every processor counts as its own socket.
  const vcpus = sockets.size ? threads * coreCount * socketCount : count || nproc || 1;
  return {
    processor,
    processor_count: socketCount,
    processor_cores: coreCount,
    processor_threads_per_core: threads,
    processor_vcpus: vcpus,
    ...(nproc !== undefined ? { processor_nproc: nproc } : {}),
  };
}

/** A kernel CPU list ("0-3,8,10-11") as the set of its CPUs; undefined when it is not one. */
function cpuList(text: string | undefined): Set<number> | undefined {
  const list = text?.trim();
  if (!list || !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) return undefined;
  const cpus = new Set<number>();
  for (const range of list.split(',')) {
    const [from, to = from] = range.split('-').map(Number) as [number, number?];
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return cpus;
}

/** How many CPUs the login may run on: its Cpus_allowed_list that are online. */
export function allowedCpus(status: string | undefined, online: string | undefined): number | undefined {
  const allowed = cpuList(/^Cpus_allowed_list:\s*(.*)$/m.exec(status ?? '')?.[1]);
  if (!allowed) return undefined;
  const up = cpuList(online);
  return up ? [...allowed].filter((c) => up.has(c)).length : allowed.size;
}

export function parseHardware(text: string): Facts {
  const { files, subs } = splitSection(text);
  const kb = meminfo(files.get('/proc/meminfo') ?? '');
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  const facts: Facts = {};
  if (kb.MemTotal !== undefined) {
    const nocacheFree = mb('MemFree') + mb('Buffers') + mb('Cached');
    Object.assign(facts, {
      memtotal_mb: mb('MemTotal'),
      memfree_mb: mb('MemFree'),
      swaptotal_mb: mb('SwapTotal'),
      swapfree_mb: mb('SwapFree'),
      memory_mb: {
        real: { total: mb('MemTotal'), free: mb('MemFree'), used: mb('MemTotal') - mb('MemFree') },
        nocache: { free: nocacheFree, used: mb('MemTotal') - nocacheFree },
        swap: { total: mb('SwapTotal'), free: mb('SwapFree'), used: mb('SwapTotal') - mb('SwapFree'), cached: mb('SwapCached') },
      },
    });
  }
  Object.assign(facts, parseCpuinfo(subs.get('cpuinfo') ?? '', allowedCpus(files.get(STATUS), files.get(ONLINE))));
  const up = /^([\d.]+)/.exec(files.get('/proc/uptime') ?? '');
  if (up) facts.uptime_seconds = Math.floor(Number(up[1]));
  return facts;
}

export const hardwareFamily: FactFamily = {
  name: 'hardware', subset: 'hardware', files: ['/proc/meminfo', '/proc/uptime', STATUS, ONLINE], script: SCRIPT, parse: parseHardware,
};
