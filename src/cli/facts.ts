/** `kelpie facts PATTERN -i INV`: gather and print facts (one batched round trip per host). */
import { resolve } from 'node:path';
import PQueue from 'p-queue';
import { connectionOptionsFromVars, createConnection } from '../connection/index.js';
import { gatherFacts, gatherPackages, gatherXen } from '../facts/index.js';
import { loadInventory } from '../inventory/index.js';
import { bool, list, parseArgs, UsageError } from './args.js';
import { readConfig } from './config.js';
import type { Io } from './io.js';

const HELP = `usage: kelpie facts PATTERN -i INVENTORY [--packages] [--xen] [--ssh-accept-new]

Gathers facts from the matching hosts and prints them as JSON keyed by host.
  --packages   include the installed packages (dpkg or rpm)
  --xen        include Xen CPU accounting (xl/xm list + uptime) on dom0s`;

export async function factsCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, [
    { names: ['-i', '--inventory'], key: 'inventory', takesValue: true, repeat: true },
    { names: ['--packages'], key: 'packages', takesValue: false },
    { names: ['--xen'], key: 'xen', takesValue: false },
    { names: ['--ssh-accept-new'], key: 'acceptNew', takesValue: false },
    { names: ['-h', '--help'], key: 'help', takesValue: false },
  ]);
  if (bool(p, 'help')) {
    io.out(HELP + '\n');
    return 0;
  }
  const pattern = p.positional[0];
  if (!pattern) throw new UsageError('no host pattern given', 'kelpie facts all -i inventory.yaml');
  const cfg = readConfig(io.cwd, io.env);
  const sources = list(p, 'inventory').map((s) => (s.includes(',') ? s : resolve(io.cwd, s)));
  const inv = await loadInventory(sources.length ? sources : (cfg.inventory ?? []));
  const hosts = inv.select(pattern);
  const out: Record<string, unknown> = {};
  let unreachable = 0;
  const q = new PQueue({ concurrency: 50 });
  await Promise.all(
    hosts.map((h) =>
      q.add(async () => {
        const conn = createConnection(connectionOptionsFromVars(h, inv.hostVars(h), { hostKeyChecking: cfg.hostKeyChecking ?? true, acceptNewHostKeys: bool(p, 'acceptNew') }));
        try {
          await conn.connect();
          const run = (cmd: Parameters<typeof conn.exec>[0]) => conn.exec(cmd);
          const facts: Record<string, unknown> = await gatherFacts(run);
          if (bool(p, 'packages')) facts.packages = await gatherPackages(run);
          if (bool(p, 'xen')) facts.xen_domains = await gatherXen(run);
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
