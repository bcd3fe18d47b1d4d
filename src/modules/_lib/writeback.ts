/** The apply step every file-writing module shares: backup, parent dir, atomic write, attributes. */
import { sh, type ShellCommand } from '../../shell/quote.js';
import type { WriteContext } from '../types.js';
import { backupFile } from './backup.js';
import { ValidationFailed } from './validationFailed.js';

export interface Writeback {
  /** The file's path as the user named it (backup, messages). */
  path: string;
  /** Where the bytes go (the link target when `path` is a symlink). */
  writePath: string;
  /** New content; undefined when only attributes change. */
  content?: string | Buffer;
  writeAttrs: Parameters<WriteContext['writeFile']>[2];
  backup: boolean;
  createParent: boolean;
  /** chown/chmod commands for an attribute-only change. */
  attrCommands: ShellCommand[];
}

/**
 * Performs the planned write. Returns the backup file's path (if one was made), or a
 * failure message (and, when the validate command refused the content, its outcome);
 * `parentError` words the message for a parent that cannot be created.
 */
export async function applyWriteback(
  ctx: WriteContext,
  w: Writeback,
  parentError: (stderr: string) => string,
): Promise<{ backup?: string; failed?: string; validation?: ValidationFailed }> {
  const out: { backup?: string; failed?: string; validation?: ValidationFailed } = {};
  if (w.content !== undefined) {
    if (w.backup) out.backup = await backupFile(ctx, w.path);
    if (w.createParent) {
      const r = await ctx.exec(sh`mkdir -p -- "$(dirname -- ${w.writePath})"`);
      if (r.rc !== 0) return { ...out, failed: parentError(r.stderr.trim()) };
    }
    try {
      await ctx.writeFile(w.writePath, w.content, w.writeAttrs);
    } catch (e) {
      return { ...out, failed: (e as Error).message, ...(e instanceof ValidationFailed ? { validation: e } : {}) };
    }
  }
  for (const cmd of w.attrCommands) {
    const r = await ctx.exec(cmd);
    if (r.rc !== 0) return { ...out, failed: r.stderr.trim() || `'${cmd.text}' failed with rc ${r.rc}` };
  }
  return out;
}
