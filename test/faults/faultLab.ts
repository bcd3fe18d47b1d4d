/** What the lab fault tests share: waiting for a host's state, and what a run left behind. */
import { runInHost, type LabHost } from '../../src/lab/index.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it is true; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** PIDs of the host's processes whose command line matches `pattern` (pgrep -f). */
export async function processesIn(host: LabHost, pattern: string): Promise<string[]> {
  const r = await runInHost(host, ['pgrep', '-f', pattern]);
  return r.stdout.split('\n').filter(Boolean);
}

/** kelpie's temp files anywhere a run writes them: beside targets and in /tmp. */
export async function kelpieTempFiles(host: LabHost, dirs: string[] = ['/root', '/tmp', '/mnt']): Promise<string[]> {
  const r = await runInHost(host, ['find', ...dirs, '-xdev', '-name', '.*kelpie-*']);
  return r.stdout.split('\n').filter(Boolean);
}

/** A unique number for command lines, so pgrep finds exactly this test's processes. */
export function newMarker(): string {
  return String(100000 + Math.floor(Math.random() * 899999));
}

/** Kills every sshd of the host (the listener and each session's), by pid. */
export async function killSshd(host: LabHost): Promise<void> {
  const pids = (await runInHost(host, ['pgrep', '-x', 'sshd'])).stdout.split('\n').filter(Boolean);
  if (pids.length) await runInHost(host, ['kill', '-KILL', ...pids]);
}
