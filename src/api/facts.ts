/** gatherFacts() for library users: one host's facts over its own connection, as `kelpie facts` prints them. */
import { connectionOptionsFromVars, createConnection, type ConnectionDefaults } from '../connection/index.js';
import type { ShellCommand } from '../shell/quote.js';
import { gatherFacts as gatherBaseFacts, gatherPackages, gatherXen } from '../facts/index.js';
import { inventoryOf, type InventoryInput } from './run.js';

export interface GatherFactsOptions {
  /** Where the host's connection variables (ansible_host, ansible_user, …) come from; default `localhost,`. */
  inventory?: InventoryInput;
  /** Defaults under the host's variables: user, key file, known_hosts, host key checking. */
  connectionDefaults?: ConnectionDefaults;
  /** Ansible's gather_subset (default `all`). */
  subset?: string[];
  /** Adds `packages`, as Ansible's package_facts module does. */
  packages?: boolean;
  /** Adds `xen_toolstack` and `xen_domains`. */
  xen?: boolean;
}

/**
 * Connects to `host`, gathers its facts in one round trip and closes the connection. The
 * result is keyed as a play's `ansible_facts` is (`hostname`, `distribution`, `default_ipv4`). `localhost` without an ansible_connection
 * variable is reached locally, as in a run. An unreachable host throws a ConnectError.
 */
export async function gatherFacts(host: string, options: GatherFactsOptions = {}): Promise<Record<string, unknown>> {
  const inventory = await inventoryOf(options.inventory);
  const vars: Record<string, unknown> = inventory.hasHost(host) ? { ...inventory.hostVars(host) } : {};
  if ((host === 'localhost' || host === '127.0.0.1') && vars.ansible_connection === undefined) vars.ansible_connection = 'local';
  const conn = createConnection(connectionOptionsFromVars(host, vars, options.connectionDefaults ?? {}));
  try {
    await conn.connect();
    const exec = (cmd: ShellCommand) => conn.exec(cmd, { probe: true });
    const facts: Record<string, unknown> = await gatherBaseFacts(exec, options.subset ? { subset: options.subset } : {});
    if (options.packages) facts.packages = await gatherPackages(exec);
    // the setup module merges xen_toolstack and xen_domains at the top
    if (options.xen) Object.assign(facts, await gatherXen(exec));
    return facts;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
