/**
 * The commands the user module runs, decided the way Ansible's user module decides them on
 * Linux: useradd's words for a new account, usermod's for an existing one (uid, primary
 * group, supplementary groups, comment, home, shell, lock and password), and the home
 * directory Ansible creates itself when an account's home is missing.
 */
import { sh, shellJoin, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { ArgsOf } from '../argspec.js';
import { findGroup, type GroupEntry, type PasswdEntry } from './accounts.js';
import type { userArgs } from './userArgs.js';

export type UserArgs = ArgsOf<typeof userArgs>;

function opt(flag: string, v: string | number | undefined): ShellCommand[] {
  return v === undefined ? [] : [sh`${shellRaw(flag)} ${v}`];
}

export function words(parts: readonly ShellCommand[]): ShellCommand {
  return shellRaw(parts.map((p) => p.text).join(' '));
}

/** `groups` as Ansible holds it: the list joined with commas (also what the result reports). */
export function joinedGroups(a: UserArgs): string | undefined {
  return a.groups === undefined ? undefined : a.groups.join(',');
}

/** The supplementary groups asked for, by name; the first one that does not exist, if any. */
export function wantedGroups(a: UserArgs, groups: readonly GroupEntry[]): { names: string[]; missing?: string } {
  const asked = [...new Set((joinedGroups(a) ?? '').split(',').map((g) => g.trim()).filter(Boolean))];
  const names: string[] = [];
  for (const g of asked) {
    const found = findGroup(groups, g);
    if (!found) return { names, missing: g };
    names.push(found.name);
  }
  return { names };
}

/** The password useradd/usermod set: locked (a leading '!') when password_lock asks for it. */
const passwordWord = (a: UserArgs, password: string): string => (a.password_lock ? `!${password}` : password);

export function useraddCommand(a: UserArgs, groups: readonly GroupEntry[], supplementary: readonly string[]): ShellCommand {
  const parts: ShellCommand[] = [shellRaw('useradd')];
  parts.push(...opt('-u', a.uid), ...(a.uid !== undefined && a.non_unique ? [shellRaw('-o')] : []));
  const primary = a.group ? findGroup(groups, a.group) : undefined;
  // useradd refuses a name whose same-named group exists unless told not to create one:
  // Ansible says -N, so such an account gets useradd's default group (Debian: users), not that group
  if (primary) parts.push(sh`-g ${primary.name}`);
  else if (findGroup(groups, a.name)) parts.push(shellRaw('-N'));
  if (supplementary.length) parts.push(sh`-G ${supplementary.join(',')}`);
  parts.push(...opt('-c', a.comment), ...opt('-d', a.home), ...opt('-s', a.shell), ...opt('-e', expiryDate(a)));
  if (a.password !== undefined) parts.push(sh`-p ${passwordWord(a, a.password)}`);
  if (a.create_home) parts.push(shellRaw('-m'), ...opt('-k', a.skeleton), ...opt('-K', a.umask === undefined ? undefined : `UMASK=${a.umask}`));
  else parts.push(shellRaw('-M'));
  if (a.system) parts.push(shellRaw('-r'));
  parts.push(sh`${a.name}`);
  return words(parts);
}

export interface Usermod {
  /** usermod's options, empty when the account is as asked */
  options: ShellCommand[];
  /** what changes, for the changes list */
  changes: string[];
  /** the passwd line after the change */
  next: PasswdEntry;
}

/**
 * usermod's options for an existing account. `hash` is its shadow password field;
 * `supplementary` the groups asked for (by name), compared with every group that lists the
 * account as a member, its primary group included, as Ansible compares them; `shadowExpiry`
 * its shadow line's expiry (days since the epoch, -1 for none: `shadowExpiry()`).
 */
export function usermodOptions(a: UserArgs, cur: PasswdEntry, hash: string, shadowExpiry: number, groups: readonly GroupEntry[], supplementary: readonly string[]): Usermod {
  const options: ShellCommand[] = [];
  const changes: string[] = [];
  const next: PasswdEntry = { ...cur };
  const change = (what: string, ...opts: ShellCommand[]): void => {
    options.push(...opts);
    changes.push(what);
  };
  if (a.uid !== undefined && a.uid !== cur.uid) {
    change('uid', sh`-u ${a.uid}`, ...(a.non_unique ? [shellRaw('-o')] : []));
    next.uid = a.uid;
  }
  const primary = a.group ? findGroup(groups, a.group) : undefined;
  if (primary && primary.gid !== cur.gid) {
    change('group', sh`-g ${primary.gid}`);
    next.gid = primary.gid;
  }
  if (a.groups !== undefined) {
    const have = groups.filter((g) => g.members.includes(a.name)).map((g) => g.name);
    const adds = supplementary.filter((g) => !have.includes(g));
    const drops = a.append ? [] : have.filter((g) => !supplementary.includes(g));
    // append only adds; without it any difference rewrites the list (an empty list empties it)
    if (adds.length + drops.length > 0) {
      change(`groups (${[...adds.map((g) => '+' + g), ...drops.map((g) => '-' + g)].join(' ')})`, a.append ? sh`-a -G ${supplementary.join(',')}` : sh`-G ${supplementary.join(',')}`);
    }
  }
  if (a.comment !== undefined && a.comment !== cur.comment) {
    change('comment', sh`-c ${a.comment}`);
    next.comment = a.comment;
  }
  if (a.home !== undefined && a.home !== cur.home) {
    change('home', sh`-d ${a.home}`, ...(a.move_home ? [shellRaw('-m')] : []));
    next.home = a.home;
  }
  if (a.shell !== undefined && a.shell !== cur.shell) {
    change('shell', sh`-s ${a.shell}`);
    next.shell = a.shell;
  }
  const expiry = expiryChange(a, shadowExpiry);
  if (expiry !== undefined) change('expiry', sh`-e ${expiry}`);
  const locked = hash.startsWith('!');
  const unbang = (s: string): string => s.replace(/^!+/, '');
  if (a.password !== undefined && a.update_password === 'always' && unbang(hash) !== unbang(a.password)) {
    // -p sets the hash and the lock at once: -L/-U would contradict it
    change('password', sh`-p ${passwordWord(a, a.password)}`);
  } else if (a.password_lock === true && !locked) {
    change('lock', shellRaw('-L'));
  } else if (a.password_lock === false && locked) {
    change('unlock', shellRaw('-U'));
  }
  return { options, changes, next };
}

const DAY_SECONDS = 86_400;
/** 9999-12-31T23:59:59Z: beyond it a day has no YYYY-MM-DD (nor does JavaScript's Date go much further) */
const LAST_DAY_SECONDS = 253_402_300_799;

/**
 * What Ansible's user module refuses before it looks at the host, in its order: umask with
 * local, then an expiry time_t cannot hold. kelpie also refuses expiry days past the year
 * 9999 (Ansible would hand useradd a five-digit year).
 */
export function argumentProblem(a: UserArgs): string | undefined {
  if (a.umask !== undefined && a.local) return "'umask' can not be used with 'local'";
  if (a.expires === undefined) return undefined;
  if (!Number.isFinite(a.expires) || Math.abs(a.expires) >= 2 ** 63) return "Invalid value for 'expires' None: timestamp out of range for platform time_t";
  if (a.expires > LAST_DAY_SECONDS) return `Invalid value for 'expires' ${a.expires}: kelpie sets expiry days up to 9999-12-31 (${LAST_DAY_SECONDS})`;
  return undefined;
}

/** The UTC day (YYYY-MM-DD) of a time in seconds since the epoch. */
const utcDay = (seconds: number): string => new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);

/** `expires` as useradd/usermod -e take it: the UTC day it falls on; '' (no expiry) when negative. */
function expiryDate(a: UserArgs): string | undefined {
  if (a.expires === undefined) return undefined;
  return Math.floor(a.expires) < 0 ? '' : utcDay(a.expires);
}

/** The shadow line's account expiry in days since the epoch; an empty field is -1, as Python's spwd reads it. */
export function shadowExpiry(shadowLine: string): number {
  const field = shadowLine.trim().split(':')[7];
  return field ? Number(field) : -1;
}

/**
 * usermod's -e value where `expires` differs from the account's: removing an expiry that
 * is set, or a day other than the one set (compared by the day, as Ansible compares).
 */
function expiryChange(a: UserArgs, currentDays: number): string | undefined {
  const wanted = expiryDate(a);
  if (wanted === undefined) return undefined;
  if (wanted === '') return currentDays >= 0 ? '' : undefined;
  return currentDays < 0 || utcDay(currentDays * DAY_SECONDS) !== wanted ? wanted : undefined;
}

/**
 * chage's words for password_expire_min/max, only for the ones that differ from the shadow
 * line's minimum and maximum age (an empty field counts as -1, as Python's spwd reads it);
 * undefined when nothing differs.
 */
export function chageCommand(a: UserArgs, shadowLine: string): ShellCommand | undefined {
  const f = shadowLine.trim().split(':');
  const age = (i: number): number => (f[i] ? Number(f[i]) : -1);
  const ages: ShellCommand[] = [];
  if (a.password_expire_min !== undefined && a.password_expire_min !== age(3)) ages.push(sh`-m ${a.password_expire_min}`);
  if (a.password_expire_max !== undefined && a.password_expire_max !== age(4)) ages.push(sh`-M ${a.password_expire_max}`);
  return ages.length ? words([shellRaw('chage'), ...ages, sh`${a.name}`]) : undefined;
}

/**
 * Creates a missing home as Ansible does (not useradd): a copy of the skeleton directory
 * (/etc/skel unless `skeleton` names another; an empty directory where it does not
 * exist), its mode from login.defs' UMASK, everything owned by the account.
 */
export function createHomeCommand(home: string, uid: number, gid: number, skeleton = '/etc/skel'): ShellCommand {
  return shellJoin([
    sh`mkdir -p "$(dirname ${home})"`,
    sh`{ if [ -e ${skeleton} ]; then cp -a ${skeleton} ${home}; else mkdir ${home}; fi; }`,
    sh`u=$(awk '/^UMASK[[:space:]]+[0-9]+$/ { u = $2 } END { print u }' /etc/login.defs 2>/dev/null)`,
    sh`{ [ -z "$u" ] || chmod "$(printf %o $((0777 & ~0$u)))" ${home}; }`,
    sh`chown -R ${`${uid}:${gid}`} ${home}`,
  ]);
}
