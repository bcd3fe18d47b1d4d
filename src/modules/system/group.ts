/**
 * group: local groups through getent + groupadd/groupmod/groupdel. The result has
 * Ansible's shape: `name` and `state` always, `system` and `gid` while the group exists; a
 * check run that would create or remove the group reports only that it would change (Ansible
 * stops there), one that would change the gid reports the group as it is.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { nonEmptyOutput } from '../_lib/commandOutput.js';
import { parseGroupLines } from './accounts.js';

const args = {
  name: { type: 'str', required: true },
  gid: { type: 'int' },
  system: { type: 'bool', default: false },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  non_unique: { type: 'bool', default: false },
} as const;

export default defineModule<typeof args, { cmd: string }>({
  name: 'group',
  aliases: ['ansible.builtin.group'],
  args,
  async plan(ctx, a) {
    const r = await ctx.probe(sh`getent group ${a.name}`);
    const cur = r.rc === 0 ? parseGroupLines(r.stdout)[0] : undefined;
    const named = { name: a.name, state: a.state };
    const diff = (before: string, after: string) => [{ path: `group ${a.name}`, before, after }];
    if (a.state === 'absent') {
      if (!cur) return { kind: 'ok', result: named };
      return { kind: 'change', changes: [`remove group ${a.name}`], diff: diff(`${a.name}:x:${cur.gid}\n`, ''), data: { cmd: sh`groupdel ${a.name}`.text } };
    }
    const o = a.non_unique && a.gid !== undefined ? ' -o' : '';
    if (!cur) {
      const cmd = sh`groupadd${shellRaw(a.gid !== undefined ? ` -g ${a.gid}${o}` : '')}${shellRaw(a.system ? ' -r' : '')} ${a.name}`;
      return { kind: 'change', changes: [`create group ${a.name}`], diff: diff('', `${a.name}:x:${a.gid ?? '(auto)'}\n`), data: { cmd: cmd.text } };
    }
    const result = { ...named, system: a.system, gid: cur.gid };
    if (a.gid !== undefined && a.gid !== cur.gid) {
      const cmd = sh`groupmod -g ${a.gid}${shellRaw(o)} ${a.name}`;
      return { kind: 'change', changes: [`change gid ${cur.gid} -> ${a.gid}`], diff: diff(`${a.name}:x:${cur.gid}\n`, `${a.name}:x:${a.gid}\n`), data: { cmd: cmd.text }, result };
    }
    return { kind: 'ok', result };
  },
  async apply(ctx, a, data) {
    const r = await ctx.exec(shellRaw(data.cmd));
    // Ansible's failure carries the command's stderr as it is, and the group's name
    if (r.rc !== 0) return { failed: true, msg: r.stderr, result: { name: a.name } };
    const g = parseGroupLines((await ctx.exec(sh`getent group ${a.name}`)).stdout)[0];
    return { result: { name: a.name, state: a.state, ...nonEmptyOutput(r), ...(g ? { system: a.system, gid: g.gid } : {}) } };
  },
});
