/**
 * The stdout/stderr keys of a module that reports its command's output only when there is
 * some (Ansible's user and group: `if out: result['stdout'] = out`). Their *_lines twins are
 * added by the executor (withOutputLines), as Ansible's action layer adds them to every result.
 */
import type { ExecResult } from '../../connection/types.js';
import type { ResultData } from '../types.js';

export function nonEmptyOutput(r: Pick<ExecResult, 'stdout' | 'stderr'>): ResultData {
  return {
    ...(r.stdout ? { stdout: r.stdout } : {}),
    ...(r.stderr ? { stderr: r.stderr } : {}),
  };
}
