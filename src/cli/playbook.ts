/** `kelpie playbook FILE... -i INVENTORY [options]` */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Runner } from '../executor/runner.js';
import type { RunOptions } from '../executor/types.js';
import { loadInventory, type Inventory } from '../inventory/index.js';
import { loadModules } from '../modules/index.js';
import { jsonReporter } from '../output/json.js';
import { liveRenderer } from '../output/live.js';
import { plainRenderer } from '../output/plain.js';
import type { EventSink, RunEvent } from '../output/events.js';
import { loadPlaybook, type Node, type Playbook } from '../playbook/index.js';
import { Templar } from '../template/index.js';
import { UsageError } from './parser.js';
import type { PlaybookFlags } from './program.js';
import { readConfig } from './config.js';
import { parseExtraVars } from './extraVars.js';
import { askSecret, type Io } from './io.js';

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

export async function playbookCommand(playbookFiles: string[], p: PlaybookFlags, io: Io): Promise<number> {
  if (!playbookFiles.length) throw new UsageError('no playbook given', 'kelpie playbook site.yaml -i inventory.yaml');
  const cfg = readConfig(io.cwd, io.env);
  const files = playbookFiles.map((f) => resolve(io.cwd, f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`the playbook: ${f} could not be found`);
  loadModules();
  const rolesPath = cfg.rolesPath;
  const playbooks: Playbook[] = [];
  for (const f of files) playbooks.push(await loadPlaybook(f, rolesPath ? { rolesPath } : {}));
  for (const pb of playbooks) for (const w of pb.warnings ?? []) io.err(`[WARNING]: ${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.col}: ` : ''}${w.message}\n`);
  if (p.syntaxCheck === true) {
    for (const f of playbookFiles) io.out(`\nplaybook: ${f}\n`);
    return 0;
  }
  const invSources = (p.inventory ?? []).map((s) => (s.includes(',') ? s : resolve(io.cwd, s)));
  const sources = invSources.length ? invSources : (cfg.inventory ?? (existsSync('/etc/ansible/hosts') ? ['/etc/ansible/hosts'] : []));
  const inventory: Inventory = await loadInventory(sources.length ? sources : ['localhost,']);
  for (const w of inventory.warnings) io.err(`[WARNING]: ${w}\n`);
  const extraVars = parseExtraVars((p.extraVars ?? []), io.cwd);
  const limit = p.limit;
  if (limit !== undefined) {
    const warned = inventory.warnings.length;
    let targets: string[];
    try {
      targets = inventory.select('all', limit);
    } catch (e) {
      throw new UsageError(`--limit: ${(e as Error).message}`);
    }
    for (const w of inventory.warnings.slice(warned)) io.err(`[WARNING]: ${w}\n`);
    // as ansible-playbook: a --limit that leaves nothing to run on is an error, exit 1
    // (an inventory that was empty to begin with only warns, as there the implicit localhost counts)
    if (!targets.length && inventory.hosts().length) {
      io.err('ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\n');
      return 1;
    }
  }

  if (p.listHosts === true || p.listTasks === true) {
    const templar = new Templar({});
    for (const pb of playbooks) {
      io.out(`\nplaybook: ${pb.file}\n`);
      pb.plays.forEach((play, i) => {
        const hosts = inventory.select(String(templar.render(play.hosts, extraVars)), limit);
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
    return 0;
  }

  const verbosity = p.verbose ?? 0;
  const checkMode = p.check === true;
  const diffMode = p.diff === true;
  const plainOut = { write: io.out, verbosity, color: io.color, diff: diffMode, collapseAbove: 20 };
  const sinks: EventSink[] = [];
  let drained: () => Promise<void> = async () => undefined;
  if (io.tty && !p.plain === true) {
    const live = liveRenderer(plainOut);
    sinks.push(live.sink);
    drained = live.drained;
  } else sinks.push(plainRenderer(plainOut));
  const json = p.json;
  if (json) sinks.push(jsonReporter(resolve(io.cwd, json)));
  const sink: EventSink = (e: RunEvent) => {
    for (const s of sinks) s(e);
  };
  let becomePassword: string | undefined;
  if (p.askBecomePass === true) becomePassword = await askSecret('BECOME password: ', io);
  if (p.become === true) extraVars.ansible_become ??= true;
  const becomeUser = p.becomeUser;
  if (becomeUser) extraVars.ansible_become_user ??= becomeUser;
  const timeoutS = p.timeout ?? cfg.timeout ?? 10;
  const user = p.user ?? cfg.remoteUser;
  const key = p.privateKey ?? cfg.privateKeyFile;
  const opts: RunOptions = {
    inventory,
    checkMode,
    diffMode,
    ...(limit ? { limit } : {}),
    tags: splitTags(p.tags ?? []),
    skipTags: splitTags(p.skipTags ?? []),
    extraVars,
    forks: p.forks ?? cfg.forks ?? 50,
    ...(p.startAtTask ? { startAtTask: p.startAtTask } : {}),
    verbosity,
    sink,
    connectionDefaults: {
      hostKeyChecking: cfg.hostKeyChecking ?? true,
      acceptNewHostKeys: p.sshAcceptNew === true,
      connectTimeoutMs: timeoutS * 1000,
      ...(user ? { user } : {}),
      ...(key ? { privateKeyFile: resolve(io.cwd, key) } : {}),
    },
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    ...(rolesPath ? { rolesPath } : {}),
    ...(p.factCache ? { factCacheDir: resolve(io.cwd, p.factCache) } : {}),
    ...(p.factCacheMaxAge ? { factCacheMaxAgeSec: p.factCacheMaxAge } : {}),
  };
  if (io.interrupts) {
    opts.interrupt = io.interrupts.signal;
    io.interrupts.claim();
  }
  const runner = new Runner(opts);
  const summary = await runner.run(playbooks);
  await drained();
  return summary.exitCode;
}
