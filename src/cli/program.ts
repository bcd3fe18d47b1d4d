/**
 * Every kelpie command and its options, declared once with commander.
 * The actions are imported statically: under mocha (tsx's require hook) a dynamic import()
 * loads a second copy of the modules, whose error classes fail `instanceof` here.
 */
import { Option, type Command } from 'commander';
import { adhocCommand, type AdhocFlags } from './adhoc.js';
import { demoCommand } from './demo.js';
import { docCommand } from './doc.js';
import { factsCommand } from './facts.js';
import { inventoryCommand } from './inventory.js';
import type { Io } from './io.js';
import { labDownCommand, labInventoryCommand, labStatusCommand, labUpCommand } from './lab.js';
import { addInventoryOptions, addRunOptions, addVaultOptions, EXIT_CODES_HELP, type FactsFlags, type InventoryFlags, type PlaybookFlags } from './options.js';
import { collect, positiveInt, rootCommand } from './parser.js';
import { playbookCommand } from './playbook.js';
import { reportMergeCommand } from './reportMerge.js';
import { vaultCommand, type VaultFlags } from './vault.js';

/** Builds the command tree; `setCode` receives the exit code of the action that ran. */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = rootCommand(io)
    .description('Agentless orchestration: Ansible-compatible playbooks over one SSH connection per host.')
    .usage('COMMAND [options]')
    .version('kelpie 0.1.0', '--version', 'print the version')
    .addHelpText('after', "\nRun 'kelpie COMMAND --help' for a command's options.");

  const playbook = program
    .command('playbook')
    .description('Runs Ansible-compatible playbooks against the hosts of an inventory.')
    .argument('<playbook...>', 'playbook files');
  addRunOptions(playbook)
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma separated, repeatable)', collect)
    .option('--skip-tags <tags>', 'skip tasks with these tags', collect)
    .option('--list-hosts', 'list the hosts each play would run on')
    .option('--list-tasks', 'list the tasks each play would run')
    .option('--syntax-check', 'check the playbooks and exit')
    .option('--start-at-task <name>', 'start at the task with this name')
    .option('--fact-cache <dir>', 'keep gathered facts in DIR between runs')
    .addOption(new Option('--fact-cache-max-age <seconds>', 'maximum age of cached facts (default 86400)').argParser(positiveInt('--fact-cache-max-age')))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (files: string[], flags: PlaybookFlags) => {
      setCode(await playbookCommand(files, flags, io));
    });

  const adhoc = program
    .command('run')
    .description("Runs one module on the hosts of a pattern, as Ansible's ad-hoc command does.")
    .argument('<pattern>', "host pattern, e.g. 'web:!db'")
    .option('-m, --module-name <module>', 'the module to run', 'command')
    .option('-a, --args <args>', "the module's arguments: key=value ... (for command/shell: the command line)");
  addRunOptions(adhoc)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (pattern: string, flags: AdhocFlags) => setCode(await adhocCommand(pattern, flags, io)));

  const inventory = program
    .command('inventory')
    .description('Shows the inventory as kelpie (and Ansible) sees it.')
    .option('--list', 'all groups and hosts as JSON, with _meta.hostvars')
    .option('--graph [group]', 'the group tree from GROUP (default: all)')
    .option('--host <host>', "one host's variables as JSON")
    .option('--playbook-dir <dir>', 'also apply DIR/group_vars and DIR/host_vars');
  addInventoryOptions(inventory).action(async (flags: InventoryFlags) => {
    setCode(await inventoryCommand(flags, io));
  });

  program
    .command('facts')
    .description('Gathers facts from the matching hosts and prints them as JSON keyed by host.')
    .argument('<pattern>', 'host pattern')
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect)
    .option('--packages', 'include the installed packages (dpkg or rpm)')
    .option('--xen', 'include Xen CPU accounting (xl/xm list + uptime) on dom0s')
    .option('--ssh-accept-new', 'add unknown host keys to known_hosts')
    .option('--ssh-config <file>', 'ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config')
    .action(async (pattern: string, flags: FactsFlags) => {
      setCode(await factsCommand(pattern, flags, io));
    });

  const lab = program.command('lab').description('Throwaway Debian 12 hosts on this machine (root, namespaces, overlayfs, real sshd).');
  const labName = (c: Command): Command => c.option('--name <name>', 'lab name; different names use different subnets', 'default');
  labName(lab.command('up').description('start N fresh hosts (replaces a running lab of the same name)').argument('<count>', 'number of hosts', positiveInt('host count')))
    .addOption(new Option('--behind <n>', 'the last N hosts sit on a private network reachable only through the first (a bastion; see the lab ssh_config)').argParser(positiveInt('--behind')))
    .action(async (count: number, flags: { name: string; behind?: number }) => setCode(await labUpCommand(count, flags.name, io, flags.behind)));
  labName(lab.command('down').description("stop the lab's hosts and remove its netns, veths, bridge and state"))
    .action(async (flags: { name: string }) => setCode(await labDownCommand(flags.name)));
  labName(lab.command('status').description("list the lab's hosts and whether each is running"))
    .action(async (flags: { name: string }) => setCode(await labStatusCommand(flags.name, io)));
  labName(lab.command('inventory').description("print the lab's Ansible YAML inventory"))
    .action(async (flags: { name: string }) => setCode(await labInventoryCommand(flags.name, io)));

  program
    .command('doc')
    .description("Shows a module's arguments (generated from its argument spec), or lists the modules.")
    .argument('[module]', 'module name')
    .option('--list', 'list every module')
    .action(async (module: string | undefined, flags: { list?: boolean }) => setCode(await docCommand(module, flags, io)));

  program
    .command('report')
    .description('Works on run reports.')
    .command('merge')
    .description('Joins the --json reports of the shards of one rollout: one recap, one exit code, and json/junit/markdown reports.')
    .argument('<report...>', '--json reports of the shards')
    .option('--json <file>', 'write the merged report as JSON')
    .option('--report <kind=file>', 'write the merged report as junit, markdown, codequality or json (repeatable)', collect)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (files: string[], flags: { json?: string; report?: string[] }) => setCode(await reportMergeCommand(files, flags, io)));

  const vault = program.command('vault').description('Encrypts and decrypts ansible-vault files (formats 1.1 and 1.2, AES256).');
  const vaultActions: [string, string, string][] = [
    ['encrypt', '<file...>', 'encrypt files in place (or to --output)'],
    ['decrypt', '<file...>', 'decrypt files in place (or to --output)'],
    ['view', '<file...>', 'print the plaintext of vault files'],
    ['edit', '<file...>', 'edit vault files in $EDITOR; changed content is encrypted again with the same password and vault id'],
    ['encrypt_string', '<string...>', 'print a string as an inline !vault value'],
    ['rekey', '<file...>', 'encrypt vault files again with a new password'],
  ];
  for (const [action, arg, help] of vaultActions) {
    const sub = addVaultOptions(vault.command(action).description(help).argument(arg));
    if (action === 'encrypt' || action === 'decrypt') sub.option('--output <file>', 'write the result here instead of in place');
    if (action === 'encrypt_string') sub.option('-n, --name <var>', 'the variable name to print before the value');
    if (action === 'rekey') sub.option('--new-vault-password-file <file>', 'the new password').option('--new-vault-id <[label@]file>', 'the new password with a label');
    sub.action(async (args: string[], flags: VaultFlags) => setCode(await vaultCommand(action, args, flags, io)));
  }

  program
    .command('demo')
    .description('Starts 4 lab hosts, then runs the playbook (default playbooks/site.yaml) three times: --check --diff, for real, and again to show zero changes.')
    .option('--playbook <file>', 'playbook to run')
    .option('--keep', 'leave the lab running afterwards (kelpie lab down --name demo stops it)')
    .action(async (flags: { playbook?: string; keep?: boolean }) => {
      setCode(await demoCommand(flags, io));
    });

  return program;
}
