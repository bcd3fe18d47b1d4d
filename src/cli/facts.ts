/** `kelpie facts PATTERN -i INV`: gather and print facts (one batched round trip per host). */
import { resolve } from 'node:path';
import PQueue from 'p-queue';
import { connectionOptionsFromVars, createConnection } from '../connection/index.js';
import { gatherFacts, gatherPackages, gatherXen } from '../facts/index.js';
import { loadInventory } from '../inventory/index.js';
import { readConfig } from './config.js';
import type { Io } from './io.js';
import type { FactsFlags } from './program.js';

export async function factsCommand(pattern: string, flags: FactsFlags, io: Io): Promise<number> {
  const cfg = readConfig(io.cwd, io.env);
  const sources = (flags.inventory ?? []).map((s) => (s.includes(',') ? s : resolve(io.cwd, s)));
  const inv = await loadInventory(sources.length ? sources : (cfg.inventory ?? []));
  const hosts = inv.select(pattern);
  const out: Record<string, unknown> = {};
  let unreachable = 0;
  const q = new PQueue({ concurrency: 50 });
  await Promise.all(
    hosts.map((h) =>
      q.add(async () => {
        const conn = createConnection(connectionOptionsFromVars(h, inv.hostVars(h), { hostKeyChecking: cfg.hostKeyChecking ?? true, acceptNewHostKeys: flags.sshAcceptNew === true }));
        try {
          await conn.connect();
          const run = (cmd: Parameters<typeof conn.exec>[0]) => conn.exec(cmd);
          const facts: Record<string, unknown> = await gatherFacts(run);
          if (flags.packages) facts.packages = await gatherPackages(run);
          // gatherXen gives { xen_toolstack, xen_domains }: merged at the top, as the setup module does.
          if (flags.xen) Object.assign(facts, await gatherXen(run));
          out[h] = { ansible_facts: facts };
        } catch (e) {
          unreachable++;
          out[h] = { unreachable: true, msg: (e as Error).message };
        } finally {
          await conn.close().catch(() => undefined);
        }
      }),
    ),
  );
  io.out(JSON.stringify(out, null, 2) + '\n');
  return unreachable ? 4 : 0;
}
