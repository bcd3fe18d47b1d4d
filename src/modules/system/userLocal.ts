/**
 * The user module's `local: true`. Ansible then looks for the account in /etc/passwd alone
 * and changes it through libuser's commands (luseradd, lusermod, luserdel, lgroupmod,
 * lchage). kelpie does not run those: where they are missing (Debian does not install
 * libuser) it fails the way Ansible does, naming the command Ansible looks for first; where
 * they exist it refuses the task at run time rather than change the account another way.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { probeBatch } from '../_lib/probeBatch.js';
import type { Plan, ReadContext, ResultData } from '../types.js';
import type { UserArgs } from './userCommands.js';

/** What apply() reports instead of changing anything: check mode only says it would change. */
export interface LocalRefusal {
  msg: string;
  result: ResultData;
}

export interface LocalPlanData {
  op: 'none';
  refusal: LocalRefusal;
}

/** The directories Ansible's get_bin_path searches: PATH, then the sbin ones it lacks that exist. */
function searchedPaths(path: string, sbins: Record<string, boolean>): string {
  const paths = path.split(':');
  for (const d of ['/sbin', '/usr/sbin', '/usr/local/sbin']) if (!paths.includes(d) && sbins[d]) paths.push(d);
  return paths.join(':');
}

/**
 * The outcome of a `local: true` task, or undefined when `local` is not set. A missing
 * account is not an error in a check run (Ansible reports the change before it looks for
 * the command), so that case is a change whose apply() fails.
 */
export async function planLocal(ctx: ReadContext, a: UserArgs): Promise<Plan<LocalPlanData> | undefined> {
  if (!a.local) return undefined;
  // adding and changing an account both start with lgroupmod; removing one with luserdel
  const tool = a.state === 'absent' ? 'luserdel' : 'lgroupmod';
  const r = await probeBatch(ctx, {
    inPasswd: sh`awk -F: -v n=${a.name} '$1 == n { found = 1 } END { exit !found }' /etc/passwd`,
    tool: sh`command -v ${tool}`,
    path: shellRaw(`printf %s "$PATH"`),
    sbin: shellRaw(`for d in /sbin /usr/sbin /usr/local/sbin; do test -e "$d" && echo "$d"; done`),
  });
  const exists = r.inPasswd.rc === 0;
  const warnings = exists
    ? []
    : [`'local: true' specified and user '${a.name}' was not found in /etc/passwd. The local user account may already exist if the local account database exists somewhere other than /etc/passwd.`];
  const warned = warnings.length ? { warnings } : {};
  for (const w of warnings) ctx.log.warn(w);
  if (a.state === 'absent' && !exists) return { kind: 'ok', result: { name: a.name, state: 'absent', ...warned } };
  const sbins = Object.fromEntries(r.sbin.stdout.split('\n').filter(Boolean).map((d) => [d, true]));
  const msg =
    r.tool.rc !== 0
      ? `Failed to find required executable "${tool}" in paths: ${searchedPaths(r.path.stdout, sbins)}`
      : `argument 'local' of Ansible's user module is not implemented by kelpie: it would run libuser's commands (${tool} is installed)`;
  // an account to create or remove: a check run only reports the change
  if (!exists || a.state === 'absent') return { kind: 'change', changes: [`${a.state === 'absent' ? 'remove' : 'create'} local user ${a.name}`], result: warned, data: { op: 'none', refusal: { msg, result: warned } } };
  return { kind: 'fail', msg, result: warned };
}
