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

export interface Latency {
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
