/**
 * Fresh lab hosts for one (tool, repetition): `labUp` replaces the bench lab, so every
 * apply and check starts from the clean image.
 *
 * Preparation (not timed, done the same for both tools): python3-apt is installed on every
 * host, because Ansible's apt module needs it and the minimal lab image lacks it (a stock
 * Debian server has it). Its three .debs are fetched once on the controller with
 * `apt-get download` and installed with dpkg inside each host.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { kill } from 'node:process';
import { labUp, runInHost, type Lab } from '../../src/lab/index.js';
import { run } from '../../src/lab/exec.js';
import { treePids } from './measure.js';

const DEB_CACHE = '/var/tmp/kelpie-bench/debs';
const PREP_DEBS = ['python3-apt', 'python-apt-common', 'distro-info-data'];

async function debs(): Promise<string[]> {
  await mkdir(DEB_CACHE, { recursive: true });
  const have = async () => (await readdir(DEB_CACHE)).filter((f) => f.endsWith('.deb'));
  if ((await have()).length < PREP_DEBS.length) await run('apt-get', ['download', ...PREP_DEBS], { cwd: DEB_CACHE });
  return (await have()).map((f) => join(DEB_CACHE, f));
}

/** At most this many dpkg runs at once: the machine has two cores. */
const PREP_PARALLEL = 4;

export async function freshLab(name: string, count: number, log: (s: string) => void): Promise<Lab> {
  const lab = await labUp(count, { name, log });
  const files = await debs();
  const queue = [...lab.hosts];
  const worker = async (): Promise<void> => {
    for (let h = queue.shift(); h; h = queue.shift()) {
      const dir = join(h.rootDir, 'tmp', 'bench-debs');
      await mkdir(dir, { recursive: true });
      for (const f of files) await copyFile(f, join(dir, f.slice(f.lastIndexOf('/') + 1)));
      const r = await runInHost(h, ['sh', '-c', 'dpkg -i /tmp/bench-debs/*.deb >/dev/null && rm -rf /tmp/bench-debs']);
      if (r.rc !== 0) throw new Error(`preparing ${h.name}: dpkg -i python3-apt failed: ${r.stderr.trim()}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PREP_PARALLEL, count) }, worker));
  return lab;
}

/** Ends the OpenSSH ControlPersist masters Ansible left for this run (found by their control dir, killed by pid). */
export async function endControlMasters(controlDir: string): Promise<void> {
  if (!existsSync(controlDir)) return;
  for (const pid of await treePids(-1, controlDir)) {
    if (pid === -1 || pid === process.pid) continue;
    try {
      kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}
