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
import { bool, list, parseArgs, str, UsageError, type FlagSpec } from './args.js';
import { readConfig } from './config.js';
import { parseExtraVars } from './extraVars.js';
import { askSecret, type Io } from './io.js';

export const PLAYBOOK_HELP = `usage: kelpie playbook PLAYBOOK... [-i INVENTORY] [options]

Runs Ansible-compatible playbooks against the hosts of an inventory.

options:
  -i, --inventory PATH      inventory file, directory or host list (repeatable;
                            default: ansible.cfg/kelpie.cfg [defaults] inventory)
  -C, --check               change nothing; report what would change
  -D, --diff                show unified diffs of changes
  -l, --limit PATTERN       further limit hosts (e.g. 'web:&prod:!db', @file)
  -t, --tags TAGS           only run tasks with these tags (comma separated)
      --skip-tags TAGS      skip tasks with these tags
  -e, --extra-vars VARS     key=value, @file.yaml or JSON (repeatable; highest precedence)
  -f, --forks N             hosts run in parallel (default 50)
      --json FILE           write every task result per host to FILE
  -v, -vv, -vvv             more output (-vvv shows stack traces)
      --list-hosts          list the hosts each play would run on
      --list-tasks          list the tasks each play would run
      --syntax-check        check the playbooks and exit
      --start-at-task NAME  start at the task with this name
  -u, --user USER           connect as USER (default: ansible_user or root)
      --private-key FILE    SSH private key
  -b, --become              run operations with become (sudo)
      --become-user USER    become this user (default root)
  -K, --ask-become-pass     ask for the become (sudo) password
      --ssh-accept-new      add unknown host keys to known_hosts (never silent otherwise)
      --timeout SECONDS     SSH connect timeout (default 10)
      --fact-cache DIR      keep gathered facts in DIR between runs
      --fact-cache-max-age SECONDS  (default 86400)
      --plain               plain lines even on a terminal
  -h, --help                show this help

exit codes: 0 ok, 2 a host failed, 4 a host unreachable or a playbook/inventory error,
            5 bad options, 99 interrupted`;

const SPECS: FlagSpec[] = [
  { names: ['-i', '--inventory', '--inventory-file'], key: 'inventory', takesValue: true, repeat: true },
  { names: ['-C', '--check'], key: 'check', takesValue: false },
  { names: ['-D', '--diff'], key: 'diff', takesValue: false },
  { names: ['-l', '--limit'], key: 'limit', takesValue: true },
  { names: ['-t', '--tags'], key: 'tags', takesValue: true, repeat: true },
  { names: ['--skip-tags'], key: 'skipTags', takesValue: true, repeat: true },
  { names: ['-e', '--extra-vars'], key: 'extraVars', takesValue: true, repeat: true },
  { names: ['-f', '--forks'], key: 'forks', takesValue: true },
  { names: ['--json'], key: 'json', takesValue: true },
  { names: ['--list-hosts'], key: 'listHosts', takesValue: false },
  { names: ['--list-tasks'], key: 'listTasks', takesValue: false },
  { names: ['--syntax-check'], key: 'syntaxCheck', takesValue: false },
  { names: ['--start-at-task'], key: 'startAtTask', takesValue: true },
  { names: ['-u', '--user'], key: 'user', takesValue: true },
  { names: ['--private-key', '--key-file'], key: 'privateKey', takesValue: true },
  { names: ['-b', '--become'], key: 'become', takesValue: false },
  { names: ['--become-user'], key: 'becomeUser', takesValue: true },
  { names: ['-K', '--ask-become-pass'], key: 'askBecomePass', takesValue: false },
  { names: ['--ssh-accept-new'], key: 'acceptNew', takesValue: false },
  { names: ['--timeout', '-T'], key: 'timeout', takesValue: true },
  { names: ['--fact-cache'], key: 'factCache', takesValue: true },
  { names: ['--fact-cache-max-age'], key: 'factCacheMaxAge', takesValue: true },
  { names: ['--plain'], key: 'plain', takesValue: false },
  { names: ['-h', '--help'], key: 'help', takesValue: false },
];

function splitTags(v: string[]): string[] {
  return v.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
}

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${v}'`);
  return n;
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

export async function playbookCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (bool(p, 'help')) {
    io.out(PLAYBOOK_HELP + '\n');
    return 0;
  }
  if (!p.positional.length) throw new UsageError('no playbook given', 'kelpie playbook site.yaml -i inventory.yaml');
  const cfg = readConfig(io.cwd, io.env);
  const files = p.positional.map((f) => resolve(io.cwd, f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`the playbook: ${f} could not be found`);
  loadModules();
  const rolesPath = cfg.rolesPath;
  const playbooks: Playbook[] = [];
  for (const f of files) playbooks.push(await loadPlaybook(f, rolesPath ? { rolesPath } : {}));
  for (const pb of playbooks) for (const w of pb.warnings ?? []) io.err(`[WARNING]: ${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.col}: ` : ''}${w.message}\n`);
  if (bool(p, 'syntaxCheck')) {
    for (const f of p.positional) io.out(`\nplaybook: ${f}\n`);
    return 0;
  }
  const invSources = list(p, 'inventory').map((s) => (s.includes(',') ? s : resolve(io.cwd, s)));
  const sources = invSources.length ? invSources : (cfg.inventory ?? (existsSync('/etc/ansible/hosts') ? ['/etc/ansible/hosts'] : []));
  const inventory: Inventory = await loadInventory(sources.length ? sources : ['localhost,']);
  for (const w of inventory.warnings) io.err(`[WARNING]: ${w}\n`);
  const extraVars = parseExtraVars(list(p, 'extraVars'), io.cwd);
  const limit = str(p, 'limit');
  if (limit !== undefined) {
    try {
      inventory.select('all', limit);
    } catch (e) {
      throw new UsageError(`--limit: ${(e as Error).message}`);
    }
  }

  if (bool(p, 'listHosts') || bool(p, 'listTasks')) {
    const templar = new Templar({});
    for (const pb of playbooks) {
      io.out(`\nplaybook: ${pb.file}\n`);
      pb.plays.forEach((play, i) => {
        const hosts = inventory.select(String(templar.render(play.hosts, extraVars)), limit);
        io.out(`\n  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${(play.tags ?? []).join(', ')}]\n`);
        if (bool(p, 'listHosts')) {
          io.out(`    pattern: ['${play.hosts}']\n    hosts (${hosts.length}):\n`);
          for (const h of hosts) io.out(`      ${h}\n`);
        }
        if (bool(p, 'listTasks')) {
          const out: string[] = [];
          listTasks([...play.preTasks, ...play.tasks, ...play.postTasks], '      ', out, play.tags ?? []);
          io.out(`    tasks:\n${out.join('\n')}\n`);
        }
      });
    }
    return 0;
  }

  const verbosity = (p.flags.verbose as number | undefined) ?? 0;
  const checkMode = bool(p, 'check');
  const diffMode = bool(p, 'diff');
  const plainOut = { write: io.out, verbosity, color: io.color, diff: diffMode, collapseAbove: 20 };
  const sinks: EventSink[] = [];
  let drained: () => Promise<void> = async () => undefined;
  if (io.tty && !bool(p, 'plain')) {
    const live = liveRenderer(plainOut);
    sinks.push(live.sink);
    drained = live.drained;
  } else sinks.push(plainRenderer(plainOut));
  const json = str(p, 'json');
  if (json) sinks.push(jsonReporter(resolve(io.cwd, json)));
  const sink: EventSink = (e: RunEvent) => {
    for (const s of sinks) s(e);
  };
  let becomePassword: string | undefined;
  if (bool(p, 'askBecomePass')) becomePassword = await askSecret('BECOME password: ', io);
  if (bool(p, 'become')) extraVars.ansible_become ??= true;
  const becomeUser = str(p, 'becomeUser');
  if (becomeUser) extraVars.ansible_become_user ??= becomeUser;
  const timeoutS = positiveInt(str(p, 'timeout'), '--timeout', cfg.timeout ?? 10);
  const user = str(p, 'user') ?? cfg.remoteUser;
  const key = str(p, 'privateKey') ?? cfg.privateKeyFile;
  const opts: RunOptions = {
    inventory,
    checkMode,
    diffMode,
    ...(limit ? { limit } : {}),
    tags: splitTags(list(p, 'tags')),
    skipTags: splitTags(list(p, 'skipTags')),
    extraVars,
    forks: positiveInt(str(p, 'forks'), '--forks', cfg.forks ?? 50),
    ...(str(p, 'startAtTask') ? { startAtTask: str(p, 'startAtTask')! } : {}),
    verbosity,
    sink,
    connectionDefaults: {
      hostKeyChecking: cfg.hostKeyChecking ?? true,
      acceptNewHostKeys: bool(p, 'acceptNew'),
      connectTimeoutMs: timeoutS * 1000,
      ...(user ? { user } : {}),
      ...(key ? { privateKeyFile: resolve(io.cwd, key) } : {}),
    },
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    ...(rolesPath ? { rolesPath } : {}),
    ...(str(p, 'factCache') ? { factCacheDir: resolve(io.cwd, str(p, 'factCache')!) } : {}),
    ...(str(p, 'factCacheMaxAge') ? { factCacheMaxAgeSec: positiveInt(str(p, 'factCacheMaxAge'), '--fact-cache-max-age', 86400) } : {}),
  };
  const runner = new Runner(opts);
  const summary = await runner.run(playbooks);
  await drained();
  return summary.exitCode;
}
