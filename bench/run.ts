/**
 * `npm run bench`: kelpie and Ansible run the same playbook on the same fresh lab hosts,
 * alternating, and the medians go into one table (see bench/README.md).
 * `npm run bench -- --scale 1000,5000`: the controller-only run on simulated hosts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown } from '../src/lab/index.js';
import { endControlMasters, freshLab } from './lib/hosts.js';
import { parseBenchArgs, type BenchOptions, type RunKind, type Tool } from './lib/options.js';
import { parseRecap, renderCpuTable, renderRerunTarget, renderTable, summarize, type Measurement } from './lib/stats.js';
import { measureStartup, renderStartup, type Startup } from './lib/startup.js';
import { BENCH_DIR, ensureAnsible, runTool } from './lib/tools.js';
import { scaleRun } from './sim/scale.js';
import { measureLatency, renderLatency, type Latency } from './lib/latency.js';
import { measureMarginal } from './lib/marginal.js';
import { cpuSnapshot, cpuUse } from './lib/cpu.js';
import { availableParallelism } from 'node:os';
import type { Lab } from '../src/lab/index.js';

const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

/** Check first (it must change nothing, so apply still meets fresh hosts), then apply, then rerun. */
const RUNS: RunKind[] = ['check', 'apply', 'rerun'];

async function labBench(o: BenchOptions): Promise<{ all: Measurement[]; latency: Latency | undefined }> {
  if (o.tools.includes('ansible')) await ensureAnsible(log);
  const playbook = join(BENCH_DIR, 'playbook.yaml');
  const all: Measurement[] = [];
  let lastLab: Lab | undefined;
  let latency: Latency | undefined;
  const work = await mkdtemp(join(tmpdir(), 'kelpie-bench-'));
  try {
    for (const hosts of o.hosts) {
      for (let rep = 0; rep < o.reps; rep++) {
        // alternate which tool goes first, so neither always meets a warmer machine
        const order: Tool[] = rep % 2 ? [...o.tools].reverse() : o.tools;
        for (const tool of order) {
          const lab = await freshLab(o.labName, hosts, () => undefined);
          lastLab = lab;
          const dir = join(work, `${tool}-${hosts}-${rep}`);
          try {
            for (const run of RUNS) {
              const hostPids = lab.hosts.map((h) => h.pid);
              // Ansible's ControlPersist masters leave our process tree: found by their control dir
              const alsoMatch = tool === 'ansible' ? join(dir, 'cp') : undefined;
              const before = cpuSnapshot(hostPids, alsoMatch);
              const m = await runTool({ tool, run, hosts, inventory: lab.inventoryFile, playbook, workDir: dir });
              await settle();
              const cpu = cpuUse(before, cpuSnapshot(hostPids, alsoMatch), CORES);
              const recap = parseRecap(m.stdout);
              const bad = m.rc !== 0 || recap.hosts !== hosts || recap.failed > 0 || recap.unreachable > 0;
              log(
                `${hosts} host(s) ${tool} ${run} rep ${rep + 1}: ${m.wall_s.toFixed(2)} s, ${m.peak_mb.toFixed(0)} MB, ` +
                  `${recap.results} results (changed ${recap.changed}); CPU s: controller ${cpu.controller_cpu_s.toFixed(2)}, ` +
                  `hosts ${cpu.hosts_cpu_s.toFixed(2)}, other ${cpu.other_cpu_s.toFixed(2)}${bad ? ` — FAILED rc=${m.rc}` : ''}`,
              );
              if (bad) {
                log(`output tail:\n${(m.stdout + m.stderr).split('\n').slice(-25).join('\n')}`);
                throw new Error(`${tool} ${run} on ${hosts} host(s) did not succeed; measurements would be meaningless`);
              }
              all.push({
                tool,
                hosts,
                run,
                wall_s: m.wall_s,
                peak_rss_mb: m.peak_mb,
                task_host_per_s: recap.results / m.wall_s,
                controller_cpu_s: cpu.controller_cpu_s,
                hosts_cpu_s: cpu.hosts_cpu_s,
                other_cpu_s: cpu.other_cpu_s,
              });
            }
          } finally {
            await endControlMasters(join(dir, 'cp'));
          }
        }
      }
    }
    if (lastLab) latency = await latencyOn(lastLab, o, join(work, 'marginal'));
  } finally {
    await labDown(o.labName).catch((e: unknown) => log(`lab down failed: ${String(e)}`));
    await rm(work, { recursive: true, force: true });
  }
  return { all, latency };
}

const CORES = availableParallelism();

/** The sshd children in the hosts end just after the client goes: let them be reaped first. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

async function latencyOn(lab: Lab, o: BenchOptions, workDir: string): Promise<Latency> {
  const open = await measureLatency(lab);
  const reps = Math.max(5, o.reps);
  const marginal = [
    await measureMarginal(lab, 'mix', { small: 20, large: 220, reps, workDir, log }),
    await measureMarginal(lab, 'cheap', { small: 20, large: 220, reps, workDir, log }),
  ];
  return { ...open, marginal };
}

async function latencyOnly(o: BenchOptions): Promise<Latency> {
  const lab = await freshLab(o.labName, 1, () => undefined);
  const work = await mkdtemp(join(tmpdir(), 'kelpie-bench-'));
  try {
    return await latencyOn(lab, o, work);
  } finally {
    await labDown(o.labName).catch((e: unknown) => log(`lab down failed: ${String(e)}`));
    await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = parseBenchArgs(process.argv.slice(2));
  if (o.scale.length) {
    const report = await scaleRun(o.scale, log);
    process.stdout.write(report.table);
    if (o.json) await writeFile(o.json, JSON.stringify({ scale: report.rows }, null, 2) + '\n');
    return;
  }
  if (o.latencyOnly) {
    const latency = await latencyOnly(o);
    process.stdout.write(renderLatency(latency));
    if (o.json) await writeFile(o.json, JSON.stringify({ latency }, null, 2) + '\n');
    return;
  }
  // before the lab exists: its hosts would be the machine's load
  const startup: Startup | undefined = o.startupRuns ? await measureStartup(o.startupRuns, log) : undefined;
  if (o.startupOnly) {
    if (startup) process.stdout.write(renderStartup(startup));
    if (o.json) await writeFile(o.json, JSON.stringify({ startup }, null, 2) + '\n');
    return;
  }
  const { all, latency } = await labBench(o);
  const summary = summarize(all);
  process.stdout.write(renderTable(summary));
  process.stdout.write(renderCpuTable(summary, CORES));
  if (latency) process.stdout.write(renderLatency(latency));
  if (startup) process.stdout.write(renderStartup(startup));
  process.stdout.write(renderRerunTarget(summary));
  if (o.json) await writeFile(o.json, JSON.stringify({ results: all, ...(latency ? { latency } : {}), ...(startup ? { startup } : {}) }, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
