/** `kelpie facts PATTERN -i INV`: gather and print facts (one batched round trip per host). */
import { resolve } from 'node:path';
import PQueue from 'p-queue';
import { gatherFacts } from '../api/facts.js';
import { loadInventory } from '../inventory/index.js';
import { readConfig } from './config.js';
import { connectionDefaultsFor } from './runSetup.js';
import type { Io } from './io.js';
import type { FactsFlags } from './options.js';

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
        try {
          const facts = await gatherFacts(h, {
            inventory: inv,
            connectionDefaults: connectionDefaultsFor(flags, cfg, io),
            ...(flags.packages ? { packages: true } : {}),
            ...(flags.xen ? { xen: true } : {}),
          });
          out[h] = { ansible_facts: facts };
        } catch (e) {
          unreachable++;
          out[h] = { unreachable: true, msg: (e as Error).message };
        }
      }),
    ),
  );
  io.out(JSON.stringify(out, null, 2) + '\n');
  return unreachable ? 4 : 0;
}
