/**
 * Channels per SSH connection as the lab's sshd sees them: every session channel (a shell,
 * the SFTP subsystem) is a child process of the connection's `sshd: USER@notty` process.
 * Read from /proc of the main PID namespace, where lab hosts' processes are visible too.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
}

function readProc(pid: string): (Proc & { cmd: string }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: fields after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid: Number(pid), ppid: Number(rest[1]), cmd };
  } catch {
    return undefined; // exited while we looked
  }
}

/** Open channels of every sshd connection whose ancestry includes one of `roots`. */
export function channelsPerConnection(roots: Set<number>): Map<number, number> {
  const procs = new Map<number, Proc & { cmd: string }>();
  for (const d of readdirSync('/proc')) if (/^\d+$/.test(d)) {
    const p = readProc(d);
    if (p) procs.set(p.pid, p);
  }
  const underLab = (pid: number): boolean => {
    for (let p = procs.get(pid), n = 0; p && n < 20; p = procs.get(p.ppid), n++) if (roots.has(p.pid)) return true;
    return false;
  };
  const conns = new Map<number, number>();
  for (const p of procs.values()) if (/^sshd: \S+@notty/.test(p.cmd) && underLab(p.pid)) conns.set(p.pid, 0);
  for (const p of procs.values()) if (conns.has(p.ppid)) conns.set(p.ppid, conns.get(p.ppid)! + 1);
  return conns;
}

/** Samples until stop() and returns the most channels any one connection had open. */
export function watchChannels(roots: Set<number>, everyMs = 15): { stop: () => { peak: number; connections: number; samples: number } } {
  let peak = 0;
  let samples = 0;
  const seen = new Set<number>();
  const timer = setInterval(() => {
    samples++;
    for (const [pid, n] of channelsPerConnection(roots)) {
      seen.add(pid);
      peak = Math.max(peak, n);
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak, connections: seen.size, samples };
    },
  };
}
