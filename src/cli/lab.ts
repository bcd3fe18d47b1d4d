/** `kelpie lab up N | down | status | inventory`: the actions behind the lab commands. */
import { hostAlive, labDown, labInventoryYaml, labStatus, labUp } from '../lab/index.js';
import type { Io } from './io.js';
import { UsageError } from './parser.js';

export async function labUpCommand(count: number, name: string, io: Io, behind = 0): Promise<number> {
  const t0 = Date.now();
  if (behind >= count) throw new UsageError(`--behind ${behind}: at most ${count - 1} of ${count} hosts can sit behind the bastion (the first host)`);
  const lab = await labUp(count, { name, behind, log: (s) => io.err(s + '\n') });
  io.out(`${lab.hosts.length} host(s) up in ${Date.now() - t0} ms\ninventory: ${lab.inventoryFile}\nssh_config: ${lab.sshConfigFile}\n`);
  return 0;
}

export async function labDownCommand(name: string): Promise<number> {
  await labDown(name);
  return 0;
}

export async function labStatusCommand(name: string, io: Io): Promise<number> {
  const lab = await labStatus(name);
  if (!lab) {
    io.out(`lab '${name}' is not up\n`);
    return 0;
  }
  for (const h of lab.hosts) {
    const up = await hostAlive(h);
    io.out(`${h.name}\t${h.address}:${h.port}\t${up ? 'running' : 'DOWN'}\tpid ${h.pid}\n`);
  }
  io.out(`inventory: ${lab.inventoryFile}\n`);
  return 0;
}

export async function labInventoryCommand(name: string, io: Io): Promise<number> {
  const lab = await labStatus(name);
  if (!lab) throw new UsageError(`lab '${name}' is not up`, `kelpie lab up 3 --name ${name}`);
  io.out(labInventoryYaml(lab));
  return 0;
}
