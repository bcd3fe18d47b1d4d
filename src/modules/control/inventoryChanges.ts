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
    const name = args.name ?? args.hostname ?? (args.host === undefined || args.host === null ? undefined : String(args.host));
    if (name === undefined) return { kind: 'fail', msg: 'name, host or hostname needs to be provided' };
    const groups = groupsOf(args.groupname ?? args.groups ?? args.group);
    if (typeof groups === 'string') return { kind: 'fail', msg: groups };
    const hostVars = Object.fromEntries(Object.entries(given).filter(([k, v]) => !NOT_HOST_VARS.has(k) && v !== undefined));
    return { kind: 'ok', result: { add_host: { host_name: name, groups, host_vars: hostVars }, changed: false } };
  },
});
