/**
 * Option groups shared by the commands that run modules on hosts (`playbook`, and the ad-hoc
 * `run`), as Ansible shares them between ansible-playbook and ansible; and the typed values
 * they parse into.
 */
import { Option, type Command } from 'commander';
import { REPORT_KINDS } from '../output/reports/index.js';
import { addAlias, collect, countUp, positiveInt } from './parser.js';
import { parseShard, type Shard } from './shard.js';
import { parseColorChoice, type ColorChoice } from './terminal.js';

/** Parsed values of the shared groups (names are commander's camel-cased long flags). */
export interface RunFlags {
  inventory?: string[];
  limit?: string;
  extraVars?: string[];
  forks?: number;
  check?: boolean;
  diff?: boolean;
  verbose?: number;
  user?: string;
  connection?: string;
  privateKey?: string;
  become?: boolean;
  becomeUser?: string;
  askBecomePass?: boolean;
  sshAcceptNew?: boolean;
  sshConfig?: string;
  timeout?: number;
  json?: string;
  plain?: boolean;
  report?: string[];
  exitChanged?: boolean;
  color?: ColorChoice;
  shard?: Shard;
  vaultPasswordFile?: string[];
  vaultId?: string[];
  askVaultPass?: boolean;
}

export interface PlaybookFlags extends RunFlags {
  tags?: string[];
  skipTags?: string[];
  listHosts?: boolean;
  listTasks?: boolean;
  syntaxCheck?: boolean;
  startAtTask?: string;
  factCache?: string;
  factCacheMaxAge?: number;
}

export interface InventoryFlags {
  inventory?: string[];
  limit?: string;
  list?: boolean;
  graph?: string | boolean;
  host?: string;
  playbookDir?: string;
}

export interface FactsFlags {
  inventory?: string[];
  packages?: boolean;
  xen?: boolean;
  sshAcceptNew?: boolean;
  sshConfig?: string;
}

export function addInventoryOptions(cmd: Command): Command {
  cmd
    .option('-i, --inventory <path>', "inventory file, directory or host list 'h1,h2,' (repeatable; default: ansible.cfg/kelpie.cfg [defaults] inventory)", collect)
    .option('-l, --limit <pattern>', "further limit hosts (e.g. 'web:&prod:!db', @file)");
  return addAlias(cmd, '--inventory-file <path>', 'inventory', true);
}

export function addRunOptions(cmd: Command): Command {
  addInventoryOptions(cmd)
    .option('-C, --check', 'change nothing; report what would change')
    .option('-D, --diff', 'show unified diffs of changes')
    .option('-e, --extra-vars <vars>', 'key=value, @file.yaml or JSON (repeatable; highest precedence)', collect)
    .addOption(new Option('-f, --forks <n>', 'hosts run in parallel (default 50)').argParser(positiveInt('--forks')))
    .option('--json <file>', 'write every task result per host to FILE')
    .option('-v, --verbose', 'more output: -v, -vv, -vvv (-vvv shows stack traces)', countUp, 0)
    .option('-u, --user <user>', 'connect as USER (default: ansible_user or root)')
    .addOption(new Option('-c, --connection <kind>', 'connection type where a host sets no ansible_connection (default ssh)').choices(['ssh', 'local', 'smart', 'paramiko']))
    .option('--private-key <file>', 'SSH private key')
    .option('-b, --become', 'run operations with become (sudo)')
    .option('--become-user <user>', 'become this user (default root)')
    .option('-K, --ask-become-pass', 'ask for the become (sudo) password')
    .option('--ssh-accept-new', 'add unknown host keys to known_hosts (never silent otherwise)')
    .option('--ssh-config <file>', 'ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (Host, HostName, User, Port, IdentityFile, ProxyJump …)')
    .addOption(new Option('-T, --timeout <seconds>', 'SSH connect timeout (default 10)').argParser(positiveInt('--timeout')))
    .option('--report <kind=file>', `write a report as the run goes (repeatable): ${REPORT_KINDS.join(', ')}`, collect)
    .option('--exit-changed', 'exit 3 when a task changed (with --check: would change) and nothing failed')
    .addOption(new Option('--color <when>', 'colour: auto (default), always or never').argParser(parseColorChoice))
    .addOption(new Option('--shard <k/n>', 'run only the k-th of n shares of the hosts (for CI matrices)').argParser(parseShard))
    .option('--plain', 'plain lines even on a terminal');
  addVaultOptions(cmd);
  return addAlias(cmd, '--key-file <file>', 'privateKey');
}

/** Ansible's vault options: every password given is tried on every vault. */
export function addVaultOptions(cmd: Command): Command {
  cmd
    .option('--vault-password-file <file>', 'vault password file (repeatable; default: ansible.cfg vault_password_file)', collect)
    .option('--vault-id <[label@]file>', "vault password file, or 'prompt', with an optional label (repeatable)", collect)
    .option('-J, --ask-vault-pass', 'ask for the vault password');
  return addAlias(cmd, '--ask-vault-password', 'askVaultPass');
}

export const EXIT_CODES_HELP = `
exit codes: 0 ok, 2 a host failed, 3 changes (--exit-changed), 4 a host unreachable or a
            playbook/inventory error, 5 bad options, 99 interrupted`;
