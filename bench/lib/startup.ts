/**
 * Startup: how long kelpie takes to start, read site.yaml (seven imported playbooks) and
 * validate it — `kelpie playbook playbooks/site.yaml --syntax-check` through the bin a user
 * runs (dist/kelpie, tools.ts), from spawning the process to its exit — beside `node -e 0`, the floor that is Node's own start. The two are
 * run alternately, after one untimed warm-up each, so both meet the same machine; the load
 * average is printed with them because other jobs on a shared machine move both. Beside the
 * wall time, each run's CPU time (user + system, its threads included: the bench's reaped
 * children's ticks from /proc/self/stat), which the machine's load moves much less.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/packageRoot.js';
import { statTicks } from './cpu.js';
import { median } from './stats.js';
import { kelpieCommand } from './tools.js';

export interface Startup {
  command: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  /** user + system CPU ms of the process (10 ms ticks), median */
  cpu_median_ms: number;
  node_median_ms: number;
  node_cpu_median_ms: number;
  /** 1-minute load average before and after the runs. */
  load: [number, number];
}

/** The goal of issue 12 for this command on the 2-core development machine. */
export const STARTUP_TARGET_MS = 150;

const TICK_MS = 10; // USER_HZ = 100

/** CPU ticks of the children this process has reaped (one child runs at a time here). */
function reapedTicks(): number {
  return statTicks(readFileSync('/proc/self/stat', 'utf8'))?.children ?? Number.NaN;
}

function timed([cmd, argv]: [string, string[]], cwd: string): Promise<{ ms: number; cpuMs: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const ticks0 = reapedTicks();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ms, cpuMs: (reapedTicks() - ticks0) * TICK_MS, code: code ?? -1, out });
    });
  });
}

export async function measureStartup(runs: number, log: (s: string) => void): Promise<Startup> {
  const root = packageRoot();
  const kelpie = kelpieCommand(['playbook', join('playbooks', 'site.yaml'), '--syntax-check']);
  const node: [string, string[]] = [process.execPath, ['-e', '0']];
  const first = await timed(kelpie, root);
  if (first.code !== 0 || !first.out.includes('playbook: playbooks/site.yaml')) {
    throw new Error(`kelpie ${kelpie[1].slice(-3).join(' ')} failed (exit ${first.code}):\n${first.out}`);
  }
  await timed(node, root);
  const load0 = loadavg()[0]!;
  const k: { ms: number; cpuMs: number }[] = [];
  const n: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    k.push(await timed(kelpie, root));
    n.push(await timed(node, root));
  }
  const s: Startup = {
    command: [...kelpie[0] === process.execPath ? ['node'] : [kelpie[0]], ...kelpie[1]].join(' ').replaceAll(root + '/', ''),
    runs,
    median_ms: median(k.map((r) => r.ms)),
    min_ms: Math.min(...k.map((r) => r.ms)),
    cpu_median_ms: median(k.map((r) => r.cpuMs)),
    node_median_ms: median(n.map((r) => r.ms)),
    node_cpu_median_ms: median(n.map((r) => r.cpuMs)),
    load: [load0, loadavg()[0]!],
  };
  log(`startup: ${s.median_ms.toFixed(0)} ms median of ${runs} (node -e 0: ${s.node_median_ms.toFixed(0)} ms)`);
  return s;
}

export function renderStartup(s: Startup): string {
  const met = s.median_ms < STARTUP_TARGET_MS ? 'met' : 'missed';
  return (
    `\nstartup: ${s.command}\n` +
    `  median ${s.median_ms.toFixed(0)} ms of ${s.runs} runs (min ${s.min_ms.toFixed(0)} ms), CPU ${s.cpu_median_ms.toFixed(0)} ms; ` +
    `node -e 0: ${s.node_median_ms.toFixed(0)} ms, CPU ${s.node_cpu_median_ms.toFixed(0)} ms; ` +
    `load average ${s.load[0].toFixed(2)} → ${s.load[1].toFixed(2)} (target < ${STARTUP_TARGET_MS} ms: ${met})\n`
  );
}
