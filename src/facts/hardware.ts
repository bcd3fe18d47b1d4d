/**
 * Memory, CPU and uptime facts from /proc (one grep for all of it) and nproc.
 * CPU counting follows Ansible: processor_count = sockets (distinct physical ids),
 * processor_cores = cores per socket, processor_vcpus = threads × cores × sockets.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

const SCRIPT = [
  // Only the fields we use: the flags lines alone are kilobytes per CPU.
  "echo ::cpuinfo::; grep -E '^(processor|vendor_id|model name|physical id|core id|cpu cores|siblings|Processor|cpu model|CPU implementer|CPU part|Hardware)[[:space:]]*:' /proc/cpuinfo 2>/dev/null",
  'echo ::nproc::; nproc 2>/dev/null',
].join('\n');

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
  const nprocText = (subs.get('nproc') ?? '').trim();
  Object.assign(facts, parseCpuinfo(subs.get('cpuinfo') ?? '', /^\d+$/.test(nprocText) ? Number(nprocText) : undefined));
  const up = /^([\d.]+)/.exec(files.get('/proc/uptime') ?? '');
  if (up) facts.uptime_seconds = Math.floor(Number(up[1]));
  return facts;
}

export const hardwareFamily: FactFamily = {
  name: 'hardware', subset: 'hardware', files: ['/proc/meminfo', '/proc/uptime'], script: SCRIPT, parse: parseHardware,
};
