import { run, type RunResult } from './exec.js';
import type { LabHost } from './types.js';

/**
 * Run argv inside a host (its mount, UTS, net and PID namespaces and its root) without ssh,
 * for test assertions. Never fails on a non-zero exit: the caller reads rc.
 */
export async function runInHost(host: LabHost, argv: string[], opts: { input?: string } = {}): Promise<RunResult> {
  if (argv.length === 0) throw new Error('runInHost: empty argv');
  return run(
    'nsenter',
    ['--target', String(host.pid), '--mount', '--uts', '--net', '--pid', '--root', '--wd', '--', ...argv],
    {
      check: false,
      input: opts.input,
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' },
    },
  );
}
