/**
 * Puts stand-ins onto a lab host: written through the host's merged root
 * (/proc/PID/root), so they land in its overlay upper dir. Call it before a test takes
 * its upper-dir snapshot. Knows the network/Xen stand-ins (ipvsadm, xl, xm, the
 * xen-dom0 marker) and every name `standinFiles()` in index.ts lists.
 */
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LabHost } from '../types.js';
import { STANDIN_BIN, STANDIN_NAMES, STANDIN_SRC_DIR, standinFiles, type StandinFile, type StandinName } from './index.js';

const here = STANDIN_SRC_DIR;

/** The marker the Xen fact and docs accept in place of /proc/xen/capabilities' control_d. */
export const XEN_DOM0_MARKER = '/etc/kelpie-standin/xen-dom0';

const OWN: Record<string, StandinFile[]> = {
  ipvsadm: [{ src: join(here, 'ipvsadm'), dest: `${STANDIN_BIN}/ipvsadm`, mode: 0o755 }],
  xl: [{ src: join(here, 'xen-tools.py'), dest: `${STANDIN_BIN}/xl`, mode: 0o755 }],
  xm: [{ src: join(here, 'xen-tools.py'), dest: `${STANDIN_BIN}/xm`, mode: 0o755 }],
  'xen-dom0': [{ content: 'control_d\n', dest: XEN_DOM0_MARKER, mode: 0o644 }],
};

export const OWN_STANDINS: readonly string[] = Object.keys(OWN);

export function filesFor(names: readonly string[]): StandinFile[] {
  const out: StandinFile[] = [];
  const theirs: readonly string[] = STANDIN_NAMES;
  for (const n of names) {
    if (OWN[n]) out.push(...OWN[n]);
    else if (theirs.includes(n)) out.push(...standinFiles([n as StandinName]));
    else throw new Error(`unknown stand-in '${n}' (known: ${[...OWN_STANDINS, ...theirs].join(', ')})`);
  }
  return out;
}

export async function installStandins(host: LabHost, names: string[]): Promise<void> {
  for (const f of filesFor(names)) {
    const target = join(host.rootDir, f.dest);
    if (f.remove) {
      await rm(target, { force: true });
      continue;
    }
    if (f.dir) {
      await mkdir(target, { recursive: true, mode: f.mode });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    if (f.src) await copyFile(f.src, target);
    else await writeFile(target, f.content ?? '');
    await chmod(target, f.mode);
  }
}
