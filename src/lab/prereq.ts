import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';

const TOOLS = ['debootstrap', 'ip', 'unshare', 'nsenter', 'chroot', 'mount', 'ssh-keygen', 'ssh', 'apt-get', 'dpkg-scanpackages'];
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

async function onPath(tool: string): Promise<boolean> {
  for (const d of PATH_DIRS) {
    if (await access(`${d}/${tool}`, constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

/** What the lab needs from this machine; tests skip (or, in CI, fail) naming what is missing. */
export async function labPrerequisites(): Promise<{ ok: boolean; missing: string[] }> {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push('Linux');
  if (process.getuid?.() !== 0) missing.push('root (uid 0)');
  for (const t of TOOLS) if (!(await onPath(t))) missing.push(t);
  const fs = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\toverlay$/m.test(fs)) missing.push('overlayfs in the kernel');
  if (!(await access('/proc/self/ns/pid', constants.F_OK).then(() => true, () => false))) missing.push('PID namespaces');
  return { ok: missing.length === 0, missing };
}
