/**
 * Stand-ins for tools a Debian lab host cannot really run (see README.md). Tests copy
 * the files `standinFiles()` lists onto a host; nothing here talks to a host itself.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../../packageRoot.js';

export type StandinName = 'rpm' | 'yum' | 'dnf' | 'chkconfig' | 'systemctl' | 'timedatectl' | 'systemd-marker' | 'redhat-profile';

/** Every name standinFiles() knows. */
export const STANDIN_NAMES: readonly StandinName[] = ['rpm', 'yum', 'dnf', 'chkconfig', 'systemctl', 'timedatectl', 'systemd-marker', 'redhat-profile'];

export interface StandinFile {
  /** File on the controller to copy, or undefined for `content`. */
  src?: string;
  content?: string;
  /** Absolute destination on the lab host. */
  dest: string;
  mode: number;
  /** A directory to create instead of a file. */
  dir?: boolean;
  /** Delete `dest` instead (what the replayed system lacks, e.g. Debian's os-release). */
  remove?: boolean;
}

/**
 * The stand-in scripts and payloads are data kept in the source tree; compiled code under
 * dist/ (and the bundle) reads them from there too (neither tsc nor esbuild copies data files).
 */
export const STANDIN_SRC_DIR = join(packageRoot(), 'src', 'lab', 'standins');
const here = STANDIN_SRC_DIR;
export const STANDIN_SCRIPT = join(here, 'kelpie-standin.py');
/** Put before the real PATH entries so the stand-ins win: /usr/local/sbin is on root's default PATH first. */
export const STANDIN_BIN = '/usr/local/sbin';
export const STANDIN_STATE_DIR = '/var/lib/kelpie-standin';
/** Where yum/dnf find the recorded CentOS 5 package payloads and the replayed programs on a host. */
export const STANDIN_SHARE = '/usr/local/share/kelpie-standin';

/** Every file under `dir` (recursive), copied to `destDir` with its mode kept. */
function treeFiles(dir: string, destDir: string): StandinFile[] {
  const out: StandinFile[] = [];
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const src = join(dir, rel);
    const st = statSync(src);
    if (st.isFile()) out.push({ src, dest: `${destDir}/${relative(dir, src)}`, mode: st.mode & 0o777 });
  }
  return out;
}

/** What yum/dnf need to lay down package payloads (see payloads/README.md). */
function payloadShare(): StandinFile[] {
  return [
    ...['rpm_payload.py', 'fake-daemon.py', 'postconf.py'].map((f) => ({ src: join(here, f), dest: `${STANDIN_SHARE}/${f}`, mode: 0o755 })),
    ...treeFiles(join(here, 'payloads'), `${STANDIN_SHARE}/payloads`),
  ];
}

const RELEASE = 'CentOS release 5.11 (Final)\n';
// /etc/sysconfig/clock as CentOS 5 installs it.
const CLOCK = 'ZONE="America/Los_Angeles"\nUTC=true\nARC=false\n';

export function standinFiles(names: readonly StandinName[]): StandinFile[] {
  const out: StandinFile[] = [];
  for (const n of names) {
    if (n === 'systemd-marker') out.push({ dest: '/run/systemd/system', mode: 0o755, dir: true });
    else if (n === 'redhat-profile') {
      out.push(
        { content: RELEASE, dest: '/etc/redhat-release', mode: 0o644 },
        // CentOS 5 has neither: with them, fact gathering (rightly) reports a Debian host.
        { dest: '/etc/os-release', mode: 0, remove: true },
        { dest: '/usr/lib/os-release', mode: 0, remove: true },
        { dest: '/etc/debian_version', mode: 0, remove: true },
        { dest: '/etc/sysconfig', mode: 0o755, dir: true },
        { content: CLOCK, dest: '/etc/sysconfig/clock', mode: 0o644 },
        { dest: '/etc/rc.d/init.d', mode: 0o755, dir: true },
        // initscripts: /etc/rc.d/init.d/functions and /etc/sysconfig/network, which every init script sources
        ...treeFiles(join(here, 'payloads/centos5/initscripts'), ''),
      );
    } else {
      out.push({ src: STANDIN_SCRIPT, dest: `${STANDIN_BIN}/${n}`, mode: 0o755 });
      if (n === 'yum' || n === 'dnf') out.push(...payloadShare());
    }
  }
  return out;
}
