import { splitHostPort } from '../../inventory/hostRange.js';
import { defineModule } from '../types.js';

/** group_by: puts the host in a group named by `key`; the executor applies `add_group`. */
export const groupBy = defineModule({
  name: 'group_by',
  controllerOnly: true,
  args: { key: { type: 'str', required: true }, parents: { type: 'list', elements: 'str', default: ['all'] } },
  async plan(_ctx, args) {
    const key = args.key.replace(/[^A-Za-z0-9_]/g, '_');
    return { kind: 'ok', result: { add_group: key, parent_groups: args.parents, changed: false } };
  },
});

/** Ansible's add_host keeps every argument but these out of the host's variables (`host` and `group` stay in). */
const NOT_HOST_VARS = new Set(['name', 'hostname', 'groupname', 'groups']);

/** The group names of add_host's `groupname`, `groups` or `group` (the first given): a list or a comma-separated string. */
function groupsOf(v: unknown): string[] | string {
  if (v === undefined || v === null || v === '') return [];
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined;
  if (!list) return 'Groups must be specified as a list.';
  const out: string[] = [];
  for (const g of list) if (!out.includes(String(g).trim())) out.push(String(g).trim());
  return out;
}

/** One label of a host name as Ansible's address parser takes it: word characters and '-', not ending in '-' or '_'. */
const HOST_NAME = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?)*$/u;

/**
 * add_host's `name:port` (or `[v6]:port`): the name without the port, and the port, which
 * Ansible's action puts in the host's variables as ansible_ssh_port. A name it cannot read as a
 * host and port (a range, a bad name) stays as given, without a port, as in Ansible.
 */
function nameAndPort(given: string): { name: string; port?: number } {
  let split: { host: string; port: number | undefined };
  try {
    split = splitHostPort(given);
  } catch {
    return { name: given };
  }
  const { host, port } = split;
  if (port === undefined || host.includes('[') || !(host.includes(':') || HOST_NAME.test(host))) return { name: given };
  return { name: host, port };
}

/**
 * add_host: adds a host (and groups) to the in-memory inventory for later plays. Its names
 * are read as Ansible's action reads them (name, then hostname, then host; groupname, then
 * groups, then group), so no alias folding: every other argument is a host variable.
 */
export const addHost = defineModule({
  name: 'add_host',
  controllerOnly: true,
  anyArgs: true,
  args: {
    name: { type: 'str' },
    hostname: { type: 'str' },
    host: { type: 'raw' },
    groups: { type: 'raw' },
    groupname: { type: 'raw' },
    group: { type: 'raw' },
  },
  async plan(_ctx, args) {
    const given = args as Record<string, unknown>;
    const written = args.name ?? args.hostname ?? (args.host === undefined || args.host === null ? undefined : String(args.host));
    if (written === undefined) return { kind: 'fail', msg: 'name, host or hostname needs to be provided' };
    const { name, port } = nameAndPort(written);
    const groups = groupsOf(args.groupname ?? args.groups ?? args.group);
    if (typeof groups === 'string') return { kind: 'fail', msg: groups };
    const hostVars: Record<string, unknown> = Object.fromEntries(Object.entries(given).filter(([k, v]) => !NOT_HOST_VARS.has(k) && v !== undefined));
    // the port of `name:port` wins over an ansible_ssh_port argument, as in Ansible's action
    if (port !== undefined) hostVars.ansible_ssh_port = port;
    return { kind: 'ok', result: { add_host: { host_name: name, groups, host_vars: hostVars }, changed: false } };
  },
});
