/** `kelpie inventory`: the ansible-inventory subset (--list, --graph, --host). */
import { ConfigError, KelpieError } from '../errors.js';
import { loadInventory } from './load.js';
import { sortKeys } from './render.js';

const HELP = `usage: kelpie inventory -i INVENTORY [-i ...] (--list | --graph [GROUP] | --host HOST)
                        [--playbook-dir DIR] [--limit PATTERN]

Show the inventory as kelpie (and Ansible) sees it.

  -i, --inventory SRC   inventory file, directory, or comma list 'h1,h2,' (repeatable)
  --list                all groups and hosts as JSON, with _meta.hostvars
  --graph [GROUP]       the group tree from GROUP (default: all)
  --host HOST           one host's variables as JSON
  --playbook-dir DIR    also apply DIR/group_vars and DIR/host_vars
  -l, --limit PATTERN   restrict hosts (--list) to PATTERN; @FILE reads patterns from FILE
  -h, --help            show this help
`;

interface InventoryArgs {
  sources: string[];
  action: 'list' | 'graph' | 'host' | undefined;
  graphRoot: string | undefined;
  host: string | undefined;
  playbookDir: string | undefined;
  limit: string | undefined;
  help: boolean;
}

function parseArgs(argv: string[]): InventoryArgs {
  const args: InventoryArgs = { sources: [], action: undefined, graphRoot: undefined, host: undefined, playbookDir: undefined, limit: undefined, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('-')) throw new ConfigError(`option ${flag} needs a value`);
    return v;
  };
  const setAction = (a: NonNullable<InventoryArgs['action']>): void => {
    if (args.action && args.action !== a) throw new ConfigError('choose one of --list, --graph and --host');
    args.action = a;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      argv = [...argv.slice(0, i), a.slice(0, eq), a.slice(eq + 1), ...argv.slice(i + 1)];
      i--;
      continue;
    }
    if (a === '-h' || a === '--help') args.help = true;
    else if (a === '-i' || a === '--inventory' || a === '--inventory-file') args.sources.push(value(i++, a));
    else if (a === '--list') setAction('list');
    else if (a === '--graph') {
      setAction('graph');
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) args.graphRoot = argv[++i];
    } else if (a === '--host') {
      setAction('host');
      args.host = value(i++, a);
    } else if (a === '--playbook-dir') args.playbookDir = value(i++, a);
    else if (a === '-l' || a === '--limit') args.limit = value(i++, a);
    else throw new ConfigError(`unknown option '${a}'`, { hint: 'see kelpie inventory --help' });
  }
  return args;
}

export async function inventoryCommand(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (args.sources.length === 0) throw new ConfigError('no inventory given', { hint: 'pass -i FILE, -i DIR or -i host1,host2,' });
    if (!args.action) throw new ConfigError('nothing to do', { hint: 'pass --list, --graph or --host HOST' });
    const inv = await loadInventory(args.sources);
    let out: string;
    if (args.action === 'list') {
      const all = inv.toListJson(args.playbookDir);
      if (args.limit !== undefined) narrowList(all, new Set(inv.select('all', args.limit)));
      out = JSON.stringify(all, null, 4);
    } else if (args.action === 'graph') {
      out = inv.toGraph(args.graphRoot).trimEnd();
    } else {
      const vars = inv.hostVars(args.host!, args.playbookDir);
      delete vars['inventory_file'];
      delete vars['inventory_dir'];
      out = JSON.stringify(sortKeys(vars), null, 4);
    }
    for (const w of inv.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
    process.stdout.write(out + '\n');
    return 0;
  } catch (e) {
    if (e instanceof KelpieError) {
      process.stderr.write(`ERROR: ${e.format()}\n`);
      return 5;
    }
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
