/**
 * The stdout/stderr keys of a module that reports its command's output only when there is
 * some (Ansible's user and group: `if out: result['stdout'] = out`), with the *_lines twins
 * Ansible's action layer adds to every result that has stdout or stderr.
 */
import type { ExecResult } from '../../connection/types.js';
import { splitLines } from '../commands/run.js';
import type { ResultData } from '../types.js';

export function nonEmptyOutput(r: Pick<ExecResult, 'stdout' | 'stderr'>): ResultData {
  return {
    ...(r.stdout ? { stdout: r.stdout, stdout_lines: splitLines(r.stdout) } : {}),
    ...(r.stderr ? { stderr: r.stderr, stderr_lines: splitLines(r.stderr) } : {}),
  };
}
