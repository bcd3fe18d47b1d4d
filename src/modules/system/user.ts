/**
 * user: local accounts through getent + useradd/usermod/userdel. One probe reads the
 * passwd line, the shadow hash, the group list and whether the home exists; the diff shows
 * the passwd line change (never the password). The result has Ansible's shape: a check run
 * that would create or remove the account reports only that it would change (Ansible stops
 * there); one that would modify it reports the account as it is.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule, type Applied, type Plan, type ResultData, type WriteContext } from '../types.js';
import { nonEmptyOutput } from '../_lib/commandOutput.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { findGroup, formatPasswdLine, parseGroupLines, parsePasswdLine, shadowHash, type PasswdEntry } from './accounts.js';
import { userArgs } from './userArgs.js';
import { planLocal, type LocalRefusal } from './userLocal.js';
import { argumentProblem, chageCommand, createHomeCommand, joinedGroups, shadowExpiry, useraddCommand, usermodOptions, wantedGroups, words, type UserArgs } from './userCommands.js';
import { keyFileWarnings, keyInHome, keyNeedsGenerating, readSshKey, sshKeygenCommand, sshKeygenStdin, sshKeyPath, sshKeyResult, type SshKeyState } from './userSshKey.js';

export interface UserPlanData {
  /** which account command runs (none when only the home is missing): the result's shape follows it */
  op: 'useradd' | 'usermod' | 'userdel' | 'none';
  cmd?: string;
  /** Ansible creates a missing home itself after the command */
  createHome?: boolean;
  /** password_expire_min/max differ: chage runs last, against the shadow line as it is then */
  chage?: boolean;
  /** generate_ssh_key: ssh-keygen runs after the account and its home are as asked */
  sshKeygen?: boolean;
  /** local: true where kelpie cannot do it: apply() fails with this */
  refusal?: LocalRefusal;
}

/** What Ansible reports of an account that exists, from its passwd line. */
function accountKeys(a: UserArgs, p: PasswdEntry): ResultData {
  const groups = joinedGroups(a);
  return {
    uid: p.uid, group: p.gid, comment: p.comment, home: p.home, shell: p.shell,
    ...(groups !== undefined ? { groups } : {}),
    ...(a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
  };
}

export default defineModule<typeof userArgs, UserPlanData>({
  name: 'user',
  aliases: ['ansible.builtin.user'],
  args: userArgs,
  async plan(ctx, a): Promise<Plan<UserPlanData>> {
    const refused = argumentProblem(a);
    if (refused !== undefined) return { kind: 'fail', msg: refused };
    const local = await planLocal(ctx, a);
    if (local) return local;
    const r = await probeBatch(ctx, {
      // kept in $pw for the home section (sections run in order, in one shell)
      passwd: sh`pw=$(getent passwd ${a.name}) && printf '%s\\n' "$pw"`,
      shadow: sh`getent shadow ${a.name}`,
      groups: shellRaw('getent group'),
      // the home Ansible looks for: the one asked for, else the account's (passwd field 6, cut
      // by parameter expansion: no getent | cut pipeline)
      home: a.home !== undefined ? sh`test -e ${a.home}` : shellRaw('h=${pw#*:*:*:*:*:}; h=${h%%:*}; test -n "$pw" && test -n "$h" && test -e "$h"'),
    });
    const cur = r.passwd.rc === 0 ? parsePasswdLine(r.passwd.stdout) : undefined;
    const groups = parseGroupLines(r.groups.stdout);
    const diffOf = (before: string, after: string) => [{ path: `user ${a.name}`, beforeHeader: 'passwd (before)', afterHeader: 'passwd (after)', before, after }];

    if (a.state === 'absent') {
      if (!cur) return { kind: 'ok', result: { name: a.name, state: 'absent' } };
      const cmd = words([shellRaw('userdel'), ...(a.force ? [shellRaw('-f')] : []), ...(a.remove ? [shellRaw('-r')] : []), sh`${a.name}`]);
      return { kind: 'change', changes: [`remove user ${a.name}`], diff: diffOf(formatPasswdLine(cur) + '\n', ''), data: { op: 'userdel', cmd: cmd.text } };
    }
    const wanted = wantedGroups(a, groups);
    const missing = a.group !== undefined && !findGroup(groups, a.group) ? a.group : wanted.missing;
    // in check mode, an earlier group: task may have been only simulated: the executor says so
    if (missing !== undefined) return { kind: 'fail', msg: `Group ${missing} does not exist` };

    if (!cur) {
      const after: PasswdEntry = { name: a.name, uid: a.uid ?? -1, gid: -1, comment: a.comment ?? '', home: a.home ?? `/home/${a.name}`, shell: a.shell ?? '' };
      const afterLine = formatPasswdLine(after).replace(':-1:', ':(auto):').replace(':-1:', ':(auto):');
      return { kind: 'change', changes: [`create user ${a.name}`], diff: diffOf('', afterLine + '\n'), data: { op: 'useradd', cmd: useraddCommand(a, groups, wanted.names).text } };
    }

    const mod = usermodOptions(a, cur, shadowHash(r.shadow.stdout) ?? '', shadowExpiry(r.shadow.stdout), groups, wanted.names);
    const createHome = a.create_home && r.home.rc !== 0;
    const chage = chageCommand(a, r.shadow.stdout) !== undefined;
    // the key as it is now: whether ssh-keygen has to run, and what a check run reports (apply() reads it again)
    const key = a.generate_ssh_key ? await readSshKey(ctx, sshKeyPath(a, cur.home)) : undefined;
    const sshKeygen = key !== undefined && keyNeedsGenerating(a, key);
    const keyWarnings = key ? keyFileWarnings(a, key) : [];
    const result = { name: a.name, state: 'present', append: a.append, move_home: a.move_home, ...accountKeys(a, cur), ...(key ? sshKeyResult(key, keyWarnings) : {}) };
    if (!mod.options.length && !createHome && !chage && !sshKeygen) {
      for (const w of keyWarnings) ctx.log.warn(w);
      return { kind: 'ok', result };
    }
    const flags = { createHome, chage, sshKeygen };
    return {
      kind: 'change',
      changes: [
        ...mod.changes.map((c) => `change ${c}`),
        ...(createHome ? [`create home ${a.home ?? mod.next.home}`] : []),
        ...(sshKeygen ? [`generate ssh key ${key.path}`] : []),
        ...(chage ? ['change password expiry'] : []),
      ],
      diff: diffOf(formatPasswdLine(cur) + '\n', formatPasswdLine(mod.next) + '\n'),
      data: mod.options.length ? { op: 'usermod', cmd: words([shellRaw('usermod'), ...mod.options, sh`${a.name}`]).text, ...flags } : { op: 'none', ...flags },
      result,
    };
  },
  async apply(ctx, a, data) {
    if (data.refusal) return { failed: true, msg: data.refusal.msg, result: data.refusal.result };
    const run = data.cmd !== undefined ? await ctx.exec(shellRaw(data.cmd)) : { rc: 0, stdout: '', stderr: '' };
    // Ansible's failure carries the command's stderr as it is, its rc and the account's name
    if (run.rc !== 0) return { failed: true, msg: run.stderr, result: { name: a.name, rc: run.rc } };
    const output = nonEmptyOutput(run);
    if (a.state === 'absent') return { result: { name: a.name, state: 'absent', force: a.force, remove: a.remove, ...output } };
    const p = parsePasswdLine((await ctx.exec(sh`getent passwd ${a.name}`)).stdout);
    if (!p) return { failed: true, msg: `failed to look up user name: ${a.name}`, result: { name: a.name } };
    if (data.createHome) {
      const home = a.home ?? p.home;
      const made = await ctx.exec(createHomeCommand(home, p.uid, p.gid, a.skeleton));
      if (made.rc !== 0) return { failed: true, msg: made.stderr.trim(), result: { name: a.name } };
    }
    const key = a.generate_ssh_key ? await generateSshKey(ctx, a, p, data.op === 'useradd' || data.sshKeygen === true) : undefined;
    if (key && !('state' in key)) return key;
    // a new account gets the ages login.defs gives it: Ansible compares against those
    if (data.chage || (data.op === 'useradd' && (a.password_expire_min !== undefined || a.password_expire_max !== undefined))) {
      const chage = chageCommand(a, (await ctx.exec(sh`getent shadow ${a.name}`)).stdout);
      const aged = chage ? await ctx.exec(chage) : undefined;
      if (aged && aged.rc !== 0) return { failed: true, msg: aged.stderr, result: { name: a.name, rc: aged.rc } };
    }
    const shape = data.op === 'useradd' ? { system: a.system, create_home: a.create_home } : { append: a.append, move_home: a.move_home };
    return { result: { name: a.name, state: 'present', ...shape, ...output, ...accountKeys(a, p), ...(key ? sshKeyResult(key.state, key.warnings) : {}) } };
  },
});

/**
 * generate_ssh_key after the account and its home are done: the key path follows the home
 * as it is now. `wanted`: the plan saw a key to make (a new account always has none).
 */
async function generateSshKey(ctx: WriteContext, a: UserArgs, p: PasswdEntry, wanted: boolean): Promise<{ state: SshKeyState; warnings: string[] } | Applied> {
  const path = sshKeyPath(a, p.home);
  // a key file in the home needs the home: Ansible fails here rather than make it
  if (keyInHome(a) && (await ctx.exec(sh`test -e ${p.home}`)).rc !== 0) {
    return { failed: true, msg: `User ${a.name} home directory does not exist`, result: { name: a.name, rc: 1 } };
  }
  const before = await readSshKey(ctx, path);
  const warnings = keyFileWarnings(a, before);
  for (const w of warnings) ctx.log.warn(w);
  if (!wanted || !keyNeedsGenerating(a, before)) return { state: before, warnings };
  const stdin = sshKeygenStdin(a);
  const made = await ctx.exec(sshKeygenCommand(a, path, p), stdin !== undefined ? { stdin } : undefined);
  if (made.rc !== 0) return { failed: true, msg: made.stderr, result: { name: a.name, rc: made.rc } };
  return { state: await readSshKey(ctx, path), warnings };
}
