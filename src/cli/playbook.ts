/** `kelpie playbook FILE... -i INVENTORY [options]` */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from '../api/run.js';
import { loadModules } from '../modules/index.js';
import { loadPlaybookCached, type Node, type Playbook } from '../playbook/index.js';
import { Templar } from '../template/index.js';
import type { Inventory } from '../inventory/index.js';
import { readConfig } from './config.js';
import { loadCacheFor } from './loadCacheFor.js';
import { loadVaultSecrets } from './vaultSecrets.js';
import type { Io } from './io.js';
import { openRunOutputs, outputOptionsOf, type RunOutputs } from './outputs.js';
import { errorText, exitCodeFor, UsageError } from './parser.js';
import type { PlaybookFlags } from './options.js';
import { inventoryFor, limitLeavesHosts, parseExtraVars, runOptionsFor } from './runSetup.js';

function splitTags(v: string[]): string[] {
  return v.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
}

function listTasks(nodes: readonly Node[], indent: string, out: string[], tags: string[] = []): void {
  for (const n of nodes) {
    const t = [...new Set([...tags, ...(n.tags ?? [])])];
    if (n.kind === 'block') {
      listTasks([...n.block, ...n.rescue, ...n.always], indent, out, t);
    } else {
      const name = n.name ?? n.actionAs;
      out.push(`${indent}${n.role ? `${n.role.name} : ` : ''}${name}\tTAGS: [${t.join(', ')}]`);
    }
  }
}

function listPlays(playbooks: readonly Playbook[], inventory: Inventory, p: PlaybookFlags, extraVars: Record<string, unknown>, io: Io): void {
  const templar = new Templar({});
  for (const pb of playbooks) {
    io.out(`\nplaybook: ${pb.file}\n`);
    pb.plays.forEach((play, i) => {
      const hosts = inventory.select(String(templar.render(play.hosts, extraVars)), p.limit);
      io.out(`\n  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${(play.tags ?? []).join(', ')}]\n`);
      if (p.listHosts === true) {
        io.out(`    pattern: ['${play.hosts}']\n    hosts (${hosts.length}):\n`);
        for (const h of hosts) io.out(`      ${h}\n`);
      }
      if (p.listTasks === true) {
        const out: string[] = [];
        listTasks([...play.preTasks, ...play.tasks, ...play.postTasks], '      ', out, play.tags ?? []);
        io.out(`    tasks:\n${out.join('\n')}\n`);
      }
    });
  }
}

/**
 * The reports open before anything is loaded, so a playbook or inventory error still ends
 * them as a whole file that records the error.
 */
export async function playbookCommand(playbookFiles: string[], p: PlaybookFlags, io: Io): Promise<number> {
  const outputs = openRunOutputs(outputOptionsOf(p), io);
  try {
    const code = await runPlaybooks(playbookFiles, p, io, outputs);
    outputs.close({ exitCode: code });
    return code;
  } catch (e) {
    outputs.close({ exitCode: exitCodeFor(e), error: errorText(e) });
    throw e;
  } finally {
    await outputs.drained();
  }
}

async function runPlaybooks(playbookFiles: string[], p: PlaybookFlags, io: Io, outputs: RunOutputs): Promise<number> {
  if (!playbookFiles.length) throw new UsageError('no playbook given', 'kelpie playbook site.yaml -i inventory.yaml');
  const cfg = readConfig(io.cwd, io.env);
  const files = playbookFiles.map((f) => resolve(io.cwd, f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`the playbook: ${f} could not be found`);
  loadModules();
  const rolesPath = cfg.rolesPath;
  await loadVaultSecrets(p, cfg, io);
  const extraVars = parseExtraVars((p.extraVars ?? []), io.cwd);
  const playbooks: Playbook[] = [];
  const cache = loadCacheFor(io.env);
  for (const f of files) playbooks.push(await loadPlaybookCached(f, { ...(rolesPath ? { rolesPath } : {}), extraVars }, cache, io.cwd));
  for (const pb of playbooks) for (const w of pb.warnings ?? []) io.err(`[WARNING]: ${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.col}: ` : ''}${w.message}\n`);
  if (p.syntaxCheck === true) {
    for (const f of playbookFiles) io.out(`\nplaybook: ${f}\n`);
    return 0;
  }
  const inventory = await inventoryFor(p, cfg, io);
  if (!limitLeavesHosts(inventory, p.limit, io)) return 1;
  if (p.listHosts === true || p.listTasks === true) {
    listPlays(playbooks, inventory, p, extraVars, io);
    return 0;
  }
  const settings = await runOptionsFor(p, { inventory, extraVars, cfg, ...(p.shard ? { shard: p.shard } : {}) }, io);
  return outputs.follow(run({
    ...settings,
    playbooks,
    tags: splitTags(p.tags ?? []),
    skipTags: splitTags(p.skipTags ?? []),
    ...(p.startAtTask ? { startAtTask: p.startAtTask } : {}),
    ...(p.factCache ? { factCacheDir: resolve(io.cwd, p.factCache) } : {}),
    ...(p.factCacheMaxAge ? { factCacheMaxAgeSec: p.factCacheMaxAge } : {}),
  }));
}
