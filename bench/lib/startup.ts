/**
 * Startup: how long kelpie takes to start, read site.yaml (seven imported playbooks) and
 * validate it — `kelpie playbook playbooks/site.yaml --syntax-check`, from spawning the
 * process to its exit — beside `node -e 0`, the floor that is Node's own start. The two are
 * run alternately, after one untimed warm-up each, so both meet the same machine; the load
 * average is printed with them because other jobs on a shared machine move both.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/packageRoot.js';
import { median } from './stats.js';
import { kelpieArgv } from './tools.js';

export interface Startup {
  command: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  node_median_ms: number;
  /** 1-minute load average before and after the runs. */
  load: [number, number];
}

/** The goal of issue 12 for this command on the 2-core development machine. */
export const STARTUP_TARGET_MS = 150;

function timed(argv: readonly string[], cwd: string): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code: code ?? -1, out }));
  });
}

export async function measureStartup(runs: number, log: (s: string) => void): Promise<Startup> {
  const root = packageRoot();
  const kelpie = [...kelpieArgv(), 'playbook', join('playbooks', 'site.yaml'), '--syntax-check'];
  const node = ['-e', '0'];
  const first = await timed(kelpie, root);
  if (first.code !== 0 || !first.out.includes('playbook: playbooks/site.yaml')) {
    throw new Error(`kelpie ${kelpie.slice(-3).join(' ')} failed (exit ${first.code}):\n${first.out}`);
  }
  await timed(node, root);
  const load0 = loadavg()[0]!;
  const k: number[] = [];
  const n: number[] = [];
  for (let i = 0; i < runs; i++) {
    k.push((await timed(kelpie, root)).ms);
    n.push((await timed(node, root)).ms);
  }
  const s: Startup = {
    command: `node ${kelpie.join(' ').replace(root + '/', '')}`,
    runs,
    median_ms: median(k),
    min_ms: Math.min(...k),
    node_median_ms: median(n),
    load: [load0, loadavg()[0]!],
  };
  log(`startup: ${s.median_ms.toFixed(0)} ms median of ${runs} (node -e 0: ${s.node_median_ms.toFixed(0)} ms)`);
  return s;
}

export function renderStartup(s: Startup): string {
  const met = s.median_ms < STARTUP_TARGET_MS ? 'met' : 'missed';
  return (
    `\nstartup: ${s.command}\n` +
    `  median ${s.median_ms.toFixed(0)} ms of ${s.runs} runs (min ${s.min_ms.toFixed(0)} ms); node -e 0: ${s.node_median_ms.toFixed(0)} ms; ` +
    `load average ${s.load[0].toFixed(2)} → ${s.load[1].toFixed(2)} (target < ${STARTUP_TARGET_MS} ms: ${met})\n`
  );
}
