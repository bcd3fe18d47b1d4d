/**
 * Startup: how long kelpie takes to start, read site.yaml (seven imported playbooks) and
 * validate it — `kelpie playbook playbooks/site.yaml --syntax-check` through the bin a user
 * runs (dist/kelpie, tools.ts), from spawning the process to its exit — beside `node -e 0`,
 * the floor that is Node's own start (without NODE_EXTRA_CA_CERTS, as the bin starts Node).
 * Two kinds of kelpie start: warm, the playbook unchanged since the last start (the bin answers
 * the load from its cache of loaded playbooks, src/playbook/loadCache.ts), and cold, the first
 * start after an edit (KELPIE_NO_CACHE=1: the whole load). The cache is a new empty directory
 * of the bench's; one untimed start fills it. The three are run in turn, so all meet the same
 * machine; the load average is printed with them because other jobs on a shared machine move
 * them all. Beside the wall time, each run's CPU time (user + system, its threads included: the
 * bench's reaped children's ticks from /proc/self/stat), which the machine's load moves much less.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
  /** The first start after an edit: the whole load (KELPIE_NO_CACHE=1). */
  cold_median_ms: number;
  cold_cpu_median_ms: number;
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

type Env = Record<string, string | undefined>;

function timed([cmd, argv]: [string, string[]], cwd: string, env: Env): Promise<{ ms: number; cpuMs: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const ticks0 = reapedTicks();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
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
  const cacheHome = mkdtempSync(join(tmpdir(), 'kelpie-bench-cache-'));
  const plain: Env = { ...process.env, NODE_EXTRA_CA_CERTS: undefined };
  const warmEnv: Env = { ...process.env, CI: 'true', XDG_CACHE_HOME: cacheHome, KELPIE_NO_CACHE: undefined };
  const coldEnv: Env = { ...warmEnv, KELPIE_NO_CACHE: '1' };
  try {
    const first = await timed(kelpie, root, warmEnv);
    if (first.code !== 0 || !first.out.includes('playbook: playbooks/site.yaml')) {
      throw new Error(`kelpie ${kelpie[1].slice(-3).join(' ')} failed (exit ${first.code}):\n${first.out}`);
    }
    await timed(node, root, plain);
    const load0 = loadavg()[0]!;
    const warm: { ms: number; cpuMs: number }[] = [];
    const cold: typeof warm = [];
    const n: typeof warm = [];
    for (let i = 0; i < runs; i++) {
      warm.push(await timed(kelpie, root, warmEnv));
      cold.push(await timed(kelpie, root, coldEnv));
      n.push(await timed(node, root, plain));
    }
    const s: Startup = {
      command: [...kelpie[0] === process.execPath ? ['node'] : [kelpie[0]], ...kelpie[1]].join(' ').replaceAll(root + '/', ''),
      runs,
      median_ms: median(warm.map((r) => r.ms)),
      min_ms: Math.min(...warm.map((r) => r.ms)),
      cpu_median_ms: median(warm.map((r) => r.cpuMs)),
      cold_median_ms: median(cold.map((r) => r.ms)),
      cold_cpu_median_ms: median(cold.map((r) => r.cpuMs)),
      node_median_ms: median(n.map((r) => r.ms)),
      node_cpu_median_ms: median(n.map((r) => r.cpuMs)),
      load: [load0, loadavg()[0]!],
    };
    log(`startup: ${s.median_ms.toFixed(0)} ms median of ${runs}, cold ${s.cold_median_ms.toFixed(0)} ms (node -e 0: ${s.node_median_ms.toFixed(0)} ms)`);
    return s;
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

export function renderStartup(s: Startup): string {
  const met = s.median_ms < STARTUP_TARGET_MS ? 'met' : 'missed';
  return (
    `\nstartup: ${s.command}\n` +
    `  median ${s.median_ms.toFixed(0)} ms of ${s.runs} runs (min ${s.min_ms.toFixed(0)} ms), CPU ${s.cpu_median_ms.toFixed(0)} ms; ` +
    `cold (first start after an edit, no cached load): ${s.cold_median_ms.toFixed(0)} ms, CPU ${s.cold_cpu_median_ms.toFixed(0)} ms; ` +
    `node -e 0: ${s.node_median_ms.toFixed(0)} ms, CPU ${s.node_cpu_median_ms.toFixed(0)} ms; ` +
    `load average ${s.load[0].toFixed(2)} → ${s.load[1].toFixed(2)} (target < ${STARTUP_TARGET_MS} ms: ${met})\n`
  );
}
