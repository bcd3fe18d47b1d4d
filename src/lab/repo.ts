import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';

/** apt options that make the machine's apt resolve against the image's dpkg database, read-only. */
function imageAptOptions(rootfs: string): string[] {
  return [
    '-o', `Dir::State::status=${join(rootfs, 'var/lib/dpkg/status')}`,
    '-o', 'Debug::NoLocking=1',
    '-o', 'APT::Install-Recommends=false',
    '-o', 'APT::Install-Suggests=false',
  ];
}

/** `name=version` of every package apt would install into the image for `packages`. */
export async function resolveForImage(rootfs: string, packages: readonly string[]): Promise<string[]> {
  const simulate = () =>
    run('apt-get', ['-s', '-q', ...imageAptOptions(rootfs), 'install', ...packages], {
      check: false,
      env: { ...process.env, LC_ALL: 'C' },
    });
  let res = await simulate();
  if (res.rc !== 0 && /Unable to locate package|has no installation candidate/.test(res.stderr + res.stdout)) {
    // A fresh machine may have no package lists yet.
    await run('apt-get', ['update', '-qq']);
    res = await simulate();
  }
  if (res.rc !== 0) throw new Error(`apt could not resolve the lab packages:\n${res.stderr || res.stdout}`);
  const out: string[] = [];
  for (const line of res.stdout.split('\n')) {
    const m = line.match(/^Inst (\S+) (?:\[[^\]]*\] )?\((\S+)/);
    if (m?.[1] && m[2]) out.push(`${m[1]}=${m[2]}`);
  }
  return out;
}

function releaseFile(files: { name: string; data: Buffer }[]): string {
  const lines = ['Origin: kelpie-lab', 'Label: kelpie-lab', `Date: ${new Date().toUTCString()}`, 'SHA256:'];
  for (const f of files) {
    lines.push(` ${createHash('sha256').update(f.data).digest('hex')} ${f.data.length} ${f.name}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Fetch the packages (and their dependencies missing from the image, no Recommends) with
 * `apt-get download` on the main namespace, then index them as a flat repository.
 */
export async function buildRepo(rootfs: string, repoDir: string, packages: readonly string[]): Promise<void> {
  const tmp = `${repoDir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const resolved = await resolveForImage(rootfs, packages);
  const pinned = new Set(resolved.map((p) => p.split('=')[0]));
  // Listed packages the image already has (e.g. tzdata) are served too, at the candidate version.
  const wanted = [...resolved, ...packages.filter((p) => !pinned.has(p))];
  await run('apt-get', ['download', '-q', '-o', 'APT::Sandbox::User=root', ...wanted], { cwd: tmp });
  const scan = await run('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: tmp });
  const packagesIndex = Buffer.from(scan.stdout);
  await writeFile(join(tmp, 'Packages'), packagesIndex);
  await writeFile(join(tmp, 'Release'), releaseFile([{ name: 'Packages', data: packagesIndex }]));
  const debs = (await readdir(tmp)).filter((n) => n.endsWith('.deb'));
  await writeFile(join(tmp, 'kelpie-packages.txt'), `${packages.join('\n')}\n`);
  if (debs.length < packages.length) throw new Error(`repository has only ${debs.length} .deb files`);
  await rm(repoDir, { recursive: true, force: true });
  await rename(tmp, repoDir);
}

export async function repoPackageCount(repoDir: string): Promise<number> {
  const text = await readFile(join(repoDir, 'Packages'), 'utf8');
  return text.split('\n').filter((l) => l.startsWith('Package: ')).length;
}
