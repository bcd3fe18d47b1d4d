/** group: local groups through getent + groupadd/groupmod/groupdel. */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
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
    const result = { name: a.name, state: a.state, system: a.system, ...(cur ? { gid: cur.gid } : {}) };
    const diff = (before: string, after: string) => [{ path: `group ${a.name}`, before, after }];
    if (a.state === 'absent') {
      if (!cur) return { kind: 'ok', result };
      return { kind: 'change', changes: [`remove group ${a.name}`], diff: diff(`${a.name}:x:${cur.gid}\n`, ''), data: { cmd: sh`groupdel ${a.name}`.text }, result };
    }
    const o = a.non_unique && a.gid !== undefined ? ' -o' : '';
    if (!cur) {
      const cmd = sh`groupadd${shellRaw(a.gid !== undefined ? ` -g ${a.gid}${o}` : '')}${shellRaw(a.system ? ' -r' : '')} ${a.name}`;
      return { kind: 'change', changes: [`create group ${a.name}`], diff: diff('', `${a.name}:x:${a.gid ?? '(auto)'}\n`), data: { cmd: cmd.text }, result: { ...result, gid: a.gid } };
    }
    if (a.gid !== undefined && a.gid !== cur.gid) {
      const cmd = sh`groupmod -g ${a.gid}${shellRaw(o)} ${a.name}`;
      return { kind: 'change', changes: [`change gid ${cur.gid} -> ${a.gid}`], diff: diff(`${a.name}:x:${cur.gid}\n`, `${a.name}:x:${a.gid}\n`), data: { cmd: cmd.text }, result: { ...result, gid: a.gid } };
    }
    return { kind: 'ok', result };
  },
  async apply(ctx, a, data) {
    await runChecked(ctx, `group ${a.name}`, shellRaw(data.cmd));
    const g = parseGroupLines((await ctx.exec(sh`getent group ${a.name}`)).stdout)[0];
    return { result: { name: a.name, state: a.state, system: a.system, ...(g ? { gid: g.gid } : {}) } };
  },
});
