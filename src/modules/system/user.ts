/**
 * user: local accounts through getent + useradd/usermod/userdel. One probe reads the
 * passwd line, the shadow hash and the group list; the diff shows the passwd line change
 * (never the password).
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type Plan } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';
import { findGroup, formatPasswdLine, parseGroupLines, parsePasswdLine, shadowHash, type PasswdEntry } from './accounts.js';

const args = {
  name: { type: 'str', required: true, aliases: ['user'] },
  uid: { type: 'int' },
  group: { type: 'str' },
  groups: { type: 'list', elements: 'str' },
  append: { type: 'bool', default: false },
  shell: { type: 'str' },
  home: { type: 'path' },
  create_home: { type: 'bool', default: true, aliases: ['createhome'] },
  move_home: { type: 'bool', default: false },
  system: { type: 'bool', default: false },
  comment: { type: 'str' },
  password: { type: 'str', noLog: true },
  update_password: { type: 'str', default: 'always', choices: ['always', 'on_create'] },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  remove: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
  non_unique: { type: 'bool', default: false },
} as const;

export interface UserPlanData {
  cmd: string;
}

function opt(flag: string, v: string | number | undefined): ShellCommand[] {
  return v === undefined ? [] : [sh`${shellRaw(flag)} ${v}`];
}

function words(parts: readonly ShellCommand[]): ShellCommand {
  return shellRaw(parts.map((p) => p.text).join(' '));
}

export default defineModule<typeof args, UserPlanData>({
  name: 'user',
  aliases: ['ansible.builtin.user'],
  args,
  async plan(ctx, a): Promise<Plan<UserPlanData>> {
    const r = await probeBatch(ctx, {
      passwd: sh`getent passwd ${a.name}`,
      shadow: sh`getent shadow ${a.name}`,
      groups: shellRaw('getent group'),
    });
    const cur = r.passwd.rc === 0 ? parsePasswdLine(r.passwd.stdout) : undefined;
    const groups = parseGroupLines(r.groups.stdout);
    const diffOf = (before: string, after: string) => [{ path: `user ${a.name}`, beforeHeader: 'passwd (before)', afterHeader: 'passwd (after)', before, after }];

    if (a.state === 'absent') {
      if (!cur) return { kind: 'ok', result: { name: a.name, state: 'absent' } };
      const cmd = words([shellRaw('userdel'), ...(a.remove ? [shellRaw('-r')] : []), ...(a.force ? [shellRaw('-f')] : []), sh`${a.name}`]);
      return { kind: 'change', changes: [`remove user ${a.name}`], diff: diffOf(formatPasswdLine(cur) + '\n', ''), data: { cmd: cmd.text }, result: { name: a.name, state: 'absent' } };
    }
    for (const g of [...(a.group ? [a.group] : []), ...(a.groups ?? []).filter(Boolean)]) {
      if (!findGroup(groups, g)) {
        // in check mode, an earlier group: task may have been only simulated: the executor says so
        return { kind: 'fail', msg: `Group ${g} does not exist` };
      }
    }
    const wantedGroups = (a.groups ?? []).filter(Boolean).map((g) => findGroup(groups, g)!.name);
    const primary = a.group ? findGroup(groups, a.group) : undefined;
    const result: Record<string, unknown> = { name: a.name, state: 'present', system: a.system, create_home: a.create_home };

    if (!cur) {
      const parts: ShellCommand[] = [shellRaw('useradd')];
      parts.push(...opt('-u', a.uid), ...(a.uid !== undefined && a.non_unique ? [shellRaw('-o')] : []));
      // useradd refuses a name whose same-named group exists unless told to use it (Ansible does the same).
      if (primary) parts.push(sh`-g ${primary.name}`);
      else if (findGroup(groups, a.name)) parts.push(sh`-g ${a.name}`);
      if (wantedGroups.length) parts.push(sh`-G ${wantedGroups.join(',')}`);
      parts.push(...opt('-c', a.comment), ...opt('-s', a.shell), ...opt('-d', a.home), ...opt('-p', a.password));
      if (a.system) parts.push(shellRaw('-r'));
      parts.push(shellRaw(a.create_home ? '-m' : '-M'), sh`${a.name}`);
      const after: PasswdEntry = { name: a.name, uid: a.uid ?? -1, gid: primary?.gid ?? -1, comment: a.comment ?? '', home: a.home ?? `/home/${a.name}`, shell: a.shell ?? '' };
      const afterLine = formatPasswdLine(after).replace(':-1:', ':(auto):').replace(':-1:', ':(auto):');
      return { kind: 'change', changes: [`create user ${a.name}`], diff: diffOf('', afterLine + '\n'), data: { cmd: words(parts).text }, result };
    }

    const parts: ShellCommand[] = [shellRaw('usermod')];
    const changes: string[] = [];
    const next: PasswdEntry = { ...cur };
    if (a.uid !== undefined && a.uid !== cur.uid) parts.push(sh`-u ${a.uid}`, ...(a.non_unique ? [shellRaw('-o')] : [])), changes.push('uid'), (next.uid = a.uid);
    if (primary && primary.gid !== cur.gid) parts.push(sh`-g ${primary.name}`), changes.push('group'), (next.gid = primary.gid);
    if (a.groups !== undefined) {
      const have = groups.filter((g) => g.members.includes(a.name)).map((g) => g.name);
      const missing = wantedGroups.filter((g) => !have.includes(g) && findGroup(groups, g)?.gid !== (next.gid));
      const extra = a.append ? [] : have.filter((g) => !wantedGroups.includes(g));
      if (missing.length || extra.length) {
        parts.push(a.append ? sh`-a -G ${missing.join(',')}` : sh`-G ${wantedGroups.join(',')}`);
        changes.push(`groups (${[...missing.map((g) => '+' + g), ...extra.map((g) => '-' + g)].join(' ')})`);
      }
    }
    if (a.comment !== undefined && a.comment !== cur.comment) parts.push(sh`-c ${a.comment}`), changes.push('comment'), (next.comment = a.comment);
    if (a.shell !== undefined && a.shell !== cur.shell) parts.push(sh`-s ${a.shell}`), changes.push('shell'), (next.shell = a.shell);
    if (a.home !== undefined && a.home !== cur.home) parts.push(sh`-d ${a.home}`, ...(a.move_home ? [shellRaw('-m')] : [])), changes.push('home'), (next.home = a.home);
    if (a.password !== undefined && a.update_password === 'always' && shadowHash(r.shadow.stdout) !== a.password) {
      parts.push(sh`-p ${a.password}`), changes.push('password');
    }
    if (!changes.length) return { kind: 'ok', result: { ...result, uid: cur.uid, group: cur.gid, comment: cur.comment, home: cur.home, shell: cur.shell } };
    parts.push(sh`${a.name}`);
    return {
      kind: 'change',
      changes: changes.map((c) => `change ${c}`),
      diff: diffOf(formatPasswdLine(cur) + '\n', formatPasswdLine(next) + '\n'),
      data: { cmd: words(parts).text },
      result: { ...result, uid: next.uid, group: next.gid, comment: next.comment, home: next.home, shell: next.shell },
    };
  },
  async apply(ctx, a, data) {
    await runChecked(ctx, `user ${a.name}`, shellRaw(data.cmd));
    if (a.state === 'absent') return { result: { name: a.name, state: 'absent' } };
    const p = parsePasswdLine((await ctx.exec(sh`getent passwd ${a.name}`)).stdout);
    return { result: { name: a.name, state: 'present', ...(p ? { uid: p.uid, group: p.gid, comment: p.comment, home: p.home, shell: p.shell } : {}) } };
  },
});
