/**
 * The bin's cache of loaded playbooks (src/playbook/loadCache.ts): in the user's cache
 * directory, for the bundle only (it is keyed by the bundle's build id, which scripts/bundle.mjs
 * writes into it; kelpie run from its sources has none and loads every time), and off when
 * KELPIE_NO_CACHE is set to anything but '' or '0' (the build's warm-ups set it: they load
 * site.yaml so that V8 compiles the load, which a cached start would skip).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { LoadCache } from '../playbook/loadCache.js';

// scripts/bundle.mjs defines it (a placeholder, replaced by the bundle's hash after the build)
declare const KELPIE_BUILD_ID: string | undefined;

/** The build id of the bundle this code runs in, or undefined outside the bundle. */
export function bundleBuildId(): string | undefined {
  const id = typeof KELPIE_BUILD_ID === 'string' ? KELPIE_BUILD_ID : undefined;
  return id && /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}

export function loadCacheFor(env: NodeJS.ProcessEnv, buildId = bundleBuildId()): LoadCache | undefined {
  if (!buildId) return undefined;
  const off = env.KELPIE_NO_CACHE;
  if (off !== undefined && off !== '' && off !== '0') return undefined;
  const xdg = env.XDG_CACHE_HOME;
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  return { dir: join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'kelpie', 'playbooks'), buildId };
}
