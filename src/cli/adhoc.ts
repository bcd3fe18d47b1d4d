/**
 * `kelpie run PATTERN -m MODULE -a 'ARGS'`: Ansible's ad-hoc command. The module and its
 * arguments become a one-task play (so they are checked like a playbook's: unknown module
 * or argument, with a did-you-mean), run by the same executor, printed in Ansible's ad-hoc
 * shape (src/output/adhoc.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KelpieError } from '../errors.js';
import { run } from '../api/run.js';
import { getModule, loadModules } from '../modules/index.js';
import { loadPlaybook, type Playbook } from '../playbook/index.js';
import { readConfig } from './config.js';
import { loadVaultSecrets } from './vaultSecrets.js';
import type { Io } from './io.js';
import type { RunFlags } from './options.js';
import { openRunOutputs, outputOptionsOf } from './outputs.js';
import { errorText, exitCodeFor, UsageError } from './parser.js';
import { inventoryFor, limitLeavesHosts, parseExtraVars, runOptionsFor } from './runSetup.js';

export interface AdhocFlags extends RunFlags {
  moduleName: string;
  args?: string;
}

/** The one-task play, loaded from a scratch file; errors name -m/-a instead of that file. */
async function adhocPlay(pattern: string, module: string, args: string | undefined): Promise<Playbook> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-adhoc-'));
  const file = join(dir, 'adhoc.yaml');
  const task = args === undefined ? `{ ${JSON.stringify(module)}: {} }` : `{ ${JSON.stringify(module)}: ${JSON.stringify(args)} }`;
  writeFileSync(file, `- name: Ansible Ad-Hoc\n  hosts: ${JSON.stringify(pattern)}\n  gather_facts: false\n  tasks:\n    - ${task}\n`);
  try {
    return await loadPlaybook(file, {});
  } catch (e) {
    if (e instanceof KelpieError) throw new UsageError(`-m ${module}${args !== undefined ? ` -a '${args}'` : ''}: ${e.message}`, e.hint);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function adhocCommand(pattern: string, flags: AdhocFlags, io: Io): Promise<number> {
  loadModules();
  const action = getModule(flags.moduleName)?.name ?? flags.moduleName;
  const outputs = openRunOutputs({ ...outputOptionsOf(flags), adhocAction: action }, io);
  try {
    const playbook = await adhocPlay(pattern, flags.moduleName, flags.args);
    const cfg = readConfig(io.cwd, io.env);
    await loadVaultSecrets(flags, cfg, io);
    const inventory = await inventoryFor(flags, cfg, io);
    if (!limitLeavesHosts(inventory, flags.limit, io)) return 1;
    const extraVars = parseExtraVars(flags.extraVars ?? [], io.cwd);
    const settings = await runOptionsFor(flags, { inventory, extraVars, cfg, ...(flags.shard ? { shard: flags.shard } : {}) }, io);
    return await outputs.follow(run({ ...settings, playbooks: [playbook] }));
  } catch (e) {
    outputs.close({ exitCode: exitCodeFor(e), error: errorText(e) });
    throw e;
  } finally {
    outputs.close({ exitCode: 0 });
    await outputs.drained();
  }
}
