/**
 * Runs one controller command and measures it from outside: wall time, and the peak memory
 * of its whole process tree, sampled from /proc every SAMPLE_MS.
 *
 * Memory is the sum of PSS (proportional set size, /proc/PID/smaps_rollup) over the tree, so
 * pages that Ansible's forked workers share copy-on-write are counted once, not once per fork
 * (a plain RSS sum would overstate Ansible). Processes that leave the tree on purpose, such
 * as OpenSSH ControlPersist masters that daemonize, are followed by `alsoMatch` on their
 * command line (their control path holds a directory unique to the run).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const SAMPLE_MS = 200;
/** Re-reading the whole process table is the costly part: done less often than sampling. */
const RESCAN_EVERY = 5;

export interface Measured {
  rc: number;
  wall_s: number;
  peak_mb: number;
  stdout: string;
  stderr: string;
  /** Milliseconds since start at which each stdout chunk arrived (for responsiveness). */
  stdoutTimes: number[];
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function procTable(): { pid: number; ppid: number }[] {
  const out: { pid: number; ppid: number }[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const stat = read(`/proc/${p}/stat`);
    // comm may hold spaces and parentheses: the fields after the LAST ')' are fixed
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 2) out.push({ pid: Number(p), ppid: Number(rest[1]) });
  }
  return out;
}

function pssKiB(pid: number): number {
  return Number(/^Pss:\s+(\d+)/m.exec(read(`/proc/${pid}/smaps_rollup`))?.[1] ?? 0);
}

/** The pids of root's tree, plus any process whose command line contains `alsoMatch`. */
export function treePids(root: number, alsoMatch?: string): number[] {
  const table = procTable();
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    stack.push(...(children.get(p) ?? []));
  }
  if (alsoMatch) {
    for (const { pid } of table) {
      if (!seen.has(pid) && read(`/proc/${pid}/cmdline`).includes(alsoMatch)) seen.add(pid);
    }
  }
  return [...seen].filter((p) => p > 0);
}

export function measure(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; alsoMatch?: string }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdoutTimes: number[] = [];
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      stdoutTimes.push(ms());
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let peak = 0;
    let done = false;
    let pids: number[] = [];
    let tick = 0;
    const sample = (): void => {
      if (done || child.pid === undefined) return;
      if (tick < 4 || tick % RESCAN_EVERY === 0) pids = treePids(child.pid, opts.alsoMatch);
      let kib = 0;
      for (const p of pids) kib += pssKiB(p);
      peak = Math.max(peak, kib / 1024);
      tick++;
    };
    // the first samples come quickly so that a short run is still seen
    const early = [20, 60, 120].map((ms) => setTimeout(sample, ms));
    const timer = setInterval(sample, SAMPLE_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wall = ms() / 1000;
      done = true;
      clearInterval(timer);
      early.forEach(clearTimeout);
      resolve({
          rc: code ?? (signal ? 128 : 1),
          wall_s: wall,
          peak_mb: peak,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        stdoutTimes,
      });
    });
  });
}
