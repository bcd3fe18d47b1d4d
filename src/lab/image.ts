import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './exec.js';
import { ensureLabKey } from './keys.js';
import { withLock } from './lock.js';
import { findDebianMirror } from './mirror.js';
import { LAB_IMAGE_PACKAGES, labRepoPackages } from './packages.js';
import { labRoot, recipeHash } from './paths.js';
import { buildRepo } from './repo.js';
import { CUSTOMIZE_SCRIPT, DEBOOTSTRAP_SCRIPT, TOP_LAYER_SCRIPT } from './image-scripts.js';

export type Log = (s: string) => void;

/** Timings of the last ensureImage() call that actually built something (ms), for reports. */
export const lastBuildTimes: { imageMs?: number; repoMs?: number; topMs?: number } = {};

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** Debian 12 minbase + sshd, sudo, users; the only slow step (~1 min), keyed by its recipe. */
async function ensureBase(log: Log): Promise<{ dir: string; hash: string }> {
  const mirror = await findDebianMirror();
  const hash = recipeHash('base', 1, mirror.suite, LAB_IMAGE_PACKAGES, DEBOOTSTRAP_SCRIPT, CUSTOMIZE_SCRIPT);
  const dir = join(labRoot(), `base-${hash}`);
  if (await exists(join(dir, 'rootfs'))) return { dir, hash };
  return withLock(`${dir}.lock`, async () => {
    if (await exists(join(dir, 'rootfs'))) return { dir, hash };
    log(`lab: building Debian ${mirror.suite} base image (debootstrap, about a minute)…`);
    const t0 = Date.now();
    const tmp = `${dir}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const root = join(tmp, 'rootfs');
    await run('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-euc', DEBOOTSTRAP_SCRIPT], {
      env: {
        ...process.env,
        ROOT: root,
        SUITE: mirror.suite,
        MIRROR: mirror.uri,
        INCLUDE: LAB_IMAGE_PACKAGES.join(','),
        CUSTOMIZE: CUSTOMIZE_SCRIPT,
      },
    });
    await writeFile(join(tmp, 'recipe.json'), JSON.stringify({ suite: mirror.suite, packages: LAB_IMAGE_PACKAGES }) + '\n');
    await rename(tmp, dir);
    lastBuildTimes.imageMs = Date.now() - t0;
    log(`lab: base image built in ${(lastBuildTimes.imageMs / 1000).toFixed(1)} s`);
    return { dir, hash };
  });
}

/** Repository + apt lists + authorized keys, as one overlay layer above the base (seconds). */
async function ensureTop(base: { dir: string; hash: string }, log: Log): Promise<{ layer: string; repo: string }> {
  const pub = (await readFile(`${(await ensureLabKey()).privateKeyFile}.pub`, 'utf8')).trim();
  const packages = labRepoPackages();
  const repoHash = recipeHash('repo', 1, base.hash, packages);
  const repo = join(labRoot(), `repo-${repoHash}`);
  if (!(await exists(join(repo, 'Packages')))) {
    await withLock(`${repo}.lock`, async () => {
      if (await exists(join(repo, 'Packages'))) return;
      const t0 = Date.now();
      log(`lab: building local apt repository (${packages.length} packages + dependencies)…`);
      await buildRepo(join(base.dir, 'rootfs'), repo, packages);
      lastBuildTimes.repoMs = Date.now() - t0;
      log(`lab: repository built in ${(lastBuildTimes.repoMs / 1000).toFixed(1)} s`);
    });
  }
  const topHash = recipeHash('top', 1, base.hash, repoHash, pub, TOP_LAYER_SCRIPT);
  const dir = join(labRoot(), `image-${topHash}`);
  const layer = join(dir, 'top');
  if (await exists(layer)) return { layer, repo };
  return withLock(`${dir}.lock`, async () => {
    if (await exists(layer)) return { layer, repo };
    const t0 = Date.now();
    const tmp = `${dir}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await run('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-euc', TOP_LAYER_SCRIPT], {
      env: {
        ...process.env,
        BASE: join(base.dir, 'rootfs'),
        TOP: join(tmp, 'top'),
        WORK: join(tmp, 'work'),
        MERGED: join(tmp, 'merged'),
        REPO: repo,
        PUBKEY: pub,
      },
    });
    await rm(join(tmp, 'work'), { recursive: true, force: true });
    await rename(tmp, dir);
    lastBuildTimes.topMs = Date.now() - t0;
    return { layer, repo };
  });
}

/**
 * Build (or reuse from /var/tmp/kelpie-lab) the lab image and its local apt repository.
 * Returns the overlayfs `lowerdir` value for hosts: "<top layer>:<base rootfs>".
 */
export async function ensureImage(log: Log = () => {}): Promise<string> {
  await mkdir(labRoot(), { recursive: true });
  const base = await ensureBase(log);
  const top = await ensureTop(base, log);
  const lower = `${top.layer}:${join(base.dir, 'rootfs')}`;
  // Mark these builds as used now; pruneImages only removes builds unused for a day.
  const now = new Date();
  for (const d of [base.dir, dirname(top.layer), top.repo]) await utimes(d, now, now).catch(() => {});
  await pruneImages(lower + top.repo).catch(() => {});
  return lower;
}

const DAY_MS = 24 * 3600_000;

/**
 * Delete cached builds of older recipes: only those unused for a day (another checkout may
 * still build that recipe) and that no recorded lab mounts.
 */
async function pruneImages(current: string): Promise<void> {
  const root = labRoot();
  const referenced = [current];
  for (const lab of await readdir(join(root, 'labs')).catch(() => [] as string[])) {
    referenced.push(await readFile(join(root, 'labs', lab, 'state.json'), 'utf8').catch(() => ''));
  }
  for (const name of await readdir(root)) {
    if (!/^(base|image|repo)-[0-9a-f]{16}$/.test(name)) continue;
    if (referenced.some((r) => r.includes(name))) continue;
    const st = await stat(join(root, name));
    if (Date.now() - st.mtimeMs > DAY_MS) await rm(join(root, name), { recursive: true, force: true });
  }
}

