/** Ansible-style backups: `path.PID.YYYY-MM-DD@HH:MM:SS~` copied beside the original. */
import { sh, type ShellCommand } from '../../shell/quote.js';
import type { WriteContext } from '../types.js';

/** Prints the backup's name on success; the timestamp is the host's local time, like Ansible. */
export function backupCommand(path: string): ShellCommand {
  return sh`p=${path}; b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S~)" && cp -p -- "$p" "$b" && printf '%s' "$b"`;
}

export async function backupFile(ctx: WriteContext, path: string): Promise<string> {
  const r = await ctx.exec(backupCommand(path));
  if (r.rc !== 0) throw new Error(`could not back up ${path}: ${r.stderr.trim()}`);
  return r.stdout;
}
