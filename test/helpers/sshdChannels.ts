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

/** Open channels of every sshd connection whose ancestry includes one of `roots`, and its root. */
export function channelsPerConnection(roots: Set<number>): Map<number, { channels: number; root: number }> {
  const procs = new Map<number, Proc & { cmd: string }>();
  for (const d of readdirSync('/proc')) if (/^\d+$/.test(d)) {
    const p = readProc(d);
    if (p) procs.set(p.pid, p);
  }
  const rootOf = (pid: number): number | undefined => {
    for (let p = procs.get(pid), n = 0; p && n < 20; p = procs.get(p.ppid), n++) if (roots.has(p.pid)) return p.pid;
    return undefined;
  };
  const conns = new Map<number, { channels: number; root: number }>();
  for (const p of procs.values()) {
    // a session's child is forked from the connection process and carries its title until
    // it execs the shell: it is a channel of its parent, not a connection of its own
    const isConn = /^sshd: \S+@notty/.test(p.cmd) && !/^sshd: \S+@notty/.test(procs.get(p.ppid)?.cmd ?? '');
    const root = isConn ? rootOf(p.pid) : undefined;
    if (root !== undefined) conns.set(p.pid, { channels: 0, root });
  }
  for (const p of procs.values()) {
    const c = conns.get(p.ppid);
    if (c) c.channels++;
  }
  return conns;
}

/** Samples until stop() and returns the most channels any one connection had open. */
export interface ChannelWatch {
  peak: number;
  connections: number;
  /** sshd connection pids seen per root (a lab host's PID 1). */
  perRoot: Map<number, Set<number>>;
  samples: number;
}

export function watchChannels(roots: Set<number>, everyMs = 15): { stop: () => ChannelWatch } {
  let peak = 0;
  let samples = 0;
  const perRoot = new Map<number, Set<number>>();
  const timer = setInterval(() => {
    samples++;
    for (const [pid, c] of channelsPerConnection(roots)) {
      const set = perRoot.get(c.root) ?? new Set<number>();
      set.add(pid);
      perRoot.set(c.root, set);
      peak = Math.max(peak, c.channels);
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const connections = [...perRoot.values()].reduce((n, s) => n + s.size, 0);
      return { peak, connections, perRoot, samples };
    },
  };
}
