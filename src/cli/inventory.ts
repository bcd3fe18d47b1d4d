import { KelpieError } from '../errors.js';
import { loadInventory } from '../inventory/index.js';
import { sortKeys } from '../inventory/render.js';
import type { Io } from './io.js';
import { UsageError } from './parser.js';
import type { InventoryFlags } from './options.js';

/** `kelpie inventory`: the ansible-inventory subset (--list, --graph, --host). */
export async function inventoryCommand(flags: InventoryFlags, io: Io): Promise<number> {
  const actions = [flags.list && 'list', flags.graph !== undefined && 'graph', flags.host !== undefined && 'host'].filter(Boolean);
  if (actions.length > 1) throw new UsageError('choose one of --list, --graph and --host');
  const sources = flags.inventory ?? [];
  if (sources.length === 0) throw new UsageError('no inventory given', 'pass -i FILE, -i DIR or -i host1,host2,');
  if (actions.length === 0) throw new UsageError('nothing to do', 'pass --list, --graph or --host HOST');
  try {
    const inv = await loadInventory(sources);
    let out: string;
    if (flags.list) {
      const all = inv.toListJson(flags.playbookDir);
      if (flags.limit !== undefined) narrowList(all, new Set(inv.select('all', flags.limit)));
      out = JSON.stringify(all, null, 4);
    } else if (flags.graph !== undefined) {
      out = inv.toGraph(typeof flags.graph === 'string' ? flags.graph : undefined).trimEnd();
    } else {
      const vars = inv.hostVars(flags.host!, flags.playbookDir);
      delete vars['inventory_file'];
      delete vars['inventory_dir'];
      out = JSON.stringify(sortKeys(vars), null, 4);
    }
    for (const w of inv.warnings) io.err(`[WARNING]: ${w}\n`);
    io.out(out + '\n');
    return 0;
  } catch (e) {
    // like ansible-inventory, a bad inventory is bad input to this command: exit 5
    if (e instanceof KelpieError && !(e instanceof UsageError)) throw new UsageError(e.message, e.hint, e.loc);
    throw e;
  }
}

/** Drop hosts outside --limit from a --list result. */
function narrowList(list: Record<string, unknown>, keep: Set<string>): void {
  for (const [name, entry] of Object.entries(list)) {
    if (name === '_meta' || !entry || typeof entry !== 'object') continue;
    const e = entry as { hosts?: string[] };
    if (e.hosts) e.hosts = e.hosts.filter((h) => keep.has(h));
    if (e.hosts && e.hosts.length === 0) delete e.hosts;
  }
  const meta = list['_meta'] as { hostvars: Record<string, unknown> };
  for (const h of Object.keys(meta.hostvars)) if (!keep.has(h)) delete meta.hostvars[h];
}
