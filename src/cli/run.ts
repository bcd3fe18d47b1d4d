/** kelpie's command dispatcher: argv in, exit code out (src/cli/main.ts wires it to the process). */
import { KelpieError } from '../errors.js';
import { UsageError } from './args.js';
import type { Io } from './io.js';
import { playbookCommand } from './playbook.js';

const HELP = `usage: kelpie COMMAND [options]

Agentless orchestration: Ansible-compatible playbooks over one SSH connection per host.

commands:
  playbook PLAYBOOK... -i INV   run playbooks (kelpie playbook --help)
  inventory -i INV --list|--graph|--host H
                                show an inventory as Ansible sees it
  facts PATTERN -i INV          gather and print facts of hosts
  lab up N|down|status|inventory
                                throwaway Debian hosts on this machine for tests and demos
  demo                          lab hosts + playbooks/site.yaml: check, apply, re-apply

Run 'kelpie COMMAND --help' for a command's options.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const verbose = rest.some((a) => /^-v{3,}$/.test(a));
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP + '\n');
        return cmd === undefined ? 5 : 0;
      case 'playbook':
        return await playbookCommand(rest, io);
      case 'inventory': {
        const { inventoryCommand } = await import('../inventory/index.js');
        return await inventoryCommand(rest);
      }
      case 'lab': {
        const { labCommand } = await import('../lab/cli.js');
        return await labCommand(rest);
      }
      case 'facts': {
        const { factsCommand } = await import('./facts.js');
        return await factsCommand(rest, io);
      }
      case 'demo': {
        const { demoCommand } = await import('./demo.js');
        return await demoCommand(rest, io);
      }
      case '--version':
      case 'version':
        io.out('kelpie 0.1.0\n');
        return 0;
      default: {
        const { didYouMean } = await import('../errors.js');
        throw new UsageError(`unknown command '${cmd}'`, didYouMean(cmd, ['playbook', 'inventory', 'facts', 'lab', 'demo']) ?? 'see kelpie --help');
      }
    }
  } catch (e) {
    if (e instanceof KelpieError) {
      io.err(`ERROR! ${e.format()}\n`);
      if (verbose && e.stack) io.err(e.stack + '\n');
      if (e instanceof UsageError) return 5;
      return 4;
    }
    io.err(`ERROR! ${(e as Error)?.message ?? String(e)}\n`);
    if (verbose && e instanceof Error && e.stack) io.err(e.stack + '\n');
    else io.err('(run with -vvv for the stack trace)\n');
    return 1;
  }
}

