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

/** add_host: adds a host (and groups) to the in-memory inventory for later plays. */
export const addHost = defineModule({
  name: 'add_host',
  controllerOnly: true,
  anyArgs: true,
  args: {
    name: { type: 'str', required: true, aliases: ['host', 'hostname'] },
    groups: { type: 'list', elements: 'str', default: [], aliases: ['group', 'groupname'] },
  },
  async plan(_ctx, args) {
    const hostVars: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const k of ['name', 'host', 'hostname', 'groups', 'group', 'groupname']) delete hostVars[k];
    return { kind: 'ok', result: { add_host: { host_name: args.name, groups: args.groups, host_vars: hostVars }, changed: false } };
  },
});
