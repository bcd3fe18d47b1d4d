/**
 * Round-trip costs on one already-connected lab host, measured in-process with kelpie's own
 * SshConnection: a bare command (`true`, a shell builtin run through the session framing)
 * and full fact gathering (kelpie sends all fact families as ONE command).
 */
import { SshConnection } from '../../src/connection/index.js';
import { gatherFacts } from '../../src/facts/index.js';
import { sh } from '../../src/shell/quote.js';
import type { Lab } from '../../src/lab/index.js';
import { median } from './stats.js';
import type { Marginal } from './marginal.js';

export interface Latency {
  /** The marginal cost per task-host through the CLI (bench/lib/marginal.ts), per task shape. */
  marginal?: Marginal[];
  bare_command_ms: number;
  /** A forked program (/bin/true), the cost most module probes pay. */
  forked_command_ms: number;
  facts_ms: number;
}

export async function measureLatency(lab: Lab, samples = 30): Promise<Latency> {
  const h = lab.hosts[0]!;
  const c = new SshConnection({
    host: h.name,
    address: h.address,
    port: h.port,
    user: 'root',
    privateKeyFile: lab.privateKeyFile,
    knownHostsFile: lab.knownHostsFile,
    hostKeyChecking: true,
    acceptNewHostKeys: false,
    connectTimeoutMs: 10000,
    commandTimeoutMs: 30000,
    maxChannels: 8,
  });
  const time = async (f: () => Promise<unknown>, n: number): Promise<number> => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await f();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  try {
    await c.exec(sh`true`); // connect and open the session first: "an already open session"
    const bare = await time(() => c.exec(sh`true`), samples);
    const forked = await time(() => c.exec(sh`/bin/true`), samples);
    const facts = await time(() => gatherFacts((cmd) => c.exec(cmd)), Math.max(3, samples / 5));
    return { bare_command_ms: bare, forked_command_ms: forked, facts_ms: facts };
  } finally {
    await c.close();
  }
}

/** The latency lines of the bench output: the open-session costs, then the marginal per-task cost. */
export function renderLatency(l: Latency): string {
  let out =
    `\none lab host, connection already open (median): bare command ${l.bare_command_ms.toFixed(2)} ms, ` +
    `forked /bin/true ${l.forked_command_ms.toFixed(2)} ms, fact gathering ${l.facts_ms.toFixed(1)} ms (one command)\n`;
  for (const m of l.marginal ?? []) {
    const what = m.shape === 'mix' ? 'realistic mix (file, copy, lineinfile, command, stat)' : 'cheap task (command true)';
    out +=
      `marginal cost per task-host, rerun, ${what}: ${m.per_task_ms.toFixed(2)} ms ` +
      `(median of ${m.small_wall_ms.length}: ${m.small_tasks} tasks ${median(m.small_wall_ms).toFixed(0)} ms, ` +
      `${m.large_tasks} tasks ${median(m.large_wall_ms).toFixed(0)} ms) = ` +
      `${(m.per_task_ms / l.bare_command_ms).toFixed(1)}x a bare command, ${(m.per_task_ms / l.forked_command_ms).toFixed(1)}x a forked one\n`;
  }
  return out;
}
