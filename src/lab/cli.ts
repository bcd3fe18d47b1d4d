import { labDown, labInventoryYaml, labStatus, labUp, hostAlive } from './lab.js';

const HELP = `usage: kelpie lab <command> [--name NAME]

Throwaway Debian 12 hosts on this machine (root, namespaces, overlayfs, real sshd).

commands:
  up N         start N fresh hosts (replaces a running lab of the same name)
  down         stop the lab's hosts and remove its netns, veths, bridge and state
  status       list the lab's hosts and whether each is running
  inventory    print the lab's Ansible YAML inventory

options:
  --name NAME  lab name (default: default); different names use different subnets
  -h, --help   show this help
`;

function parse(argv: string[]): { cmd?: string; args: string[]; name: string; help: boolean } {
  const args: string[] = [];
  let name = 'default';
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--name') {
      const v = argv[++i];
      if (!v) throw new Error('--name needs a value');
      name = v;
    } else if (a.startsWith('--name=')) name = a.slice('--name='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option '${a}'`);
    else args.push(a);
  }
  return { cmd: args.shift(), args, name, help };
}

/** `kelpie lab …`; returns the exit code (0 ok, 1 failure, 5 bad usage). */
export async function labCommand(argv: string[]): Promise<number> {
  let p: ReturnType<typeof parse>;
  try {
    p = parse(argv);
  } catch (e) {
    process.stderr.write(`kelpie lab: ${(e as Error).message}\n${HELP}`);
    return 5;
  }
  if (p.help || !p.cmd) {
    process.stdout.write(HELP);
    return p.help ? 0 : 5;
  }
  const log = (s: string) => process.stderr.write(s + '\n');
  try {
    switch (p.cmd) {
      case 'up': {
        const n = Number(p.args[0]);
        if (!Number.isInteger(n) || n < 1) throw new UsageError('up needs a host count, e.g. `kelpie lab up 3`');
        const t0 = Date.now();
        const lab = await labUp(n, { name: p.name, log });
        process.stdout.write(`${lab.hosts.length} host(s) up in ${Date.now() - t0} ms\ninventory: ${lab.inventoryFile}\n`);
        return 0;
      }
      case 'down':
        await labDown(p.name);
        return 0;
      case 'status': {
        const lab = await labStatus(p.name);
        if (!lab) {
          process.stdout.write(`lab '${p.name}' is not up\n`);
          return 0;
        }
        for (const h of lab.hosts) {
          const up = await hostAlive(h);
          process.stdout.write(`${h.name}\t${h.address}:${h.port}\t${up ? 'running' : 'DOWN'}\tpid ${h.pid}\n`);
        }
        process.stdout.write(`inventory: ${lab.inventoryFile}\n`);
        return 0;
      }
      case 'inventory': {
        const lab = await labStatus(p.name);
        if (!lab) throw new Error(`lab '${p.name}' is not up`);
        process.stdout.write(labInventoryYaml(lab));
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${p.cmd}'`);
    }
  } catch (e) {
    const usage = e instanceof UsageError;
    process.stderr.write(`kelpie lab: ${(e as Error).message}\n${usage ? HELP : ''}`);
    return usage ? 5 : 1;
  }
}

class UsageError extends Error {}
