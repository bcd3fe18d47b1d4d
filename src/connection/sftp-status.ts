/**
 * SFTP (v3) reports errors as a handful of status codes, not errno values: OpenSSH's
 * sftp-server folds every errno it has no code for (ENOSPC, EDQUOT, EIO, EROFS...) into
 * SSH_FX_FAILURE, whose text is just "Failure". These helpers turn a status back into the
 * text a user knows from the shell; a generic failure of a write is explained by looking
 * at the filesystem it went to.
 */
import { dirname } from 'node:path/posix';
import { sh } from '../shell/quote.js';
import type { ExecResult } from './types.js';
import type { ShellCommand } from '../shell/quote.js';

export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_FAILURE = 4;

/** The errno text for the status codes that stand for one errno each. */
const ERRNO_TEXT: Record<number, string> = {
  [SFTP_NO_SUCH_FILE]: 'No such file or directory',
  3: 'Permission denied',
  8: 'Operation not supported',
};

export function sftpStatusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Why writing `size` bytes to `path` failed. For SSH_FX_FAILURE, asks the host how much
 * room the target's filesystem has left (`stat -f`): less than the file needs means the
 * write ran out of space, which is what the user must be told.
 */
export async function explainWriteFailure(
  err: Error,
  path: string,
  size: number,
  exec: (cmd: ShellCommand) => Promise<ExecResult>,
): Promise<string> {
  const code = sftpStatusCode(err);
  if (code !== undefined && ERRNO_TEXT[code]) return ERRNO_TEXT[code];
  if (code === SFTP_FAILURE) {
    const r = await exec(sh`stat -f -c '%a %S' -- ${dirname(path)}`).catch(() => undefined);
    const [avail, blockSize] = (r?.rc === 0 ? r.stdout.trim().split(/\s+/) : []).map(Number);
    if (avail !== undefined && blockSize !== undefined && Number.isFinite(avail * blockSize) && avail * blockSize < size) {
      return 'No space left on device';
    }
  }
  return err.message;
}
