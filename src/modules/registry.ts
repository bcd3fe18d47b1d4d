/**
 * Registering a module is one line in modules/index.ts: add it to the list there.
 */
import type { AnyModule } from './types.js';

const byName = new Map<string, AnyModule>();

export function registerModules(mods: readonly AnyModule[]): void {
  for (const m of mods) {
    const names = [m.name, `ansible.builtin.${m.name}`, `ansible.legacy.${m.name}`, ...(m.aliases ?? [])];
    for (const n of names) {
      if (byName.has(n) && byName.get(n) !== m) throw new Error(`module name '${n}' registered twice`);
      byName.set(n, m);
    }
  }
}

export function getModule(name: string): AnyModule | undefined {
  return byName.get(name);
}

/** Every name a task may use (for did-you-mean). */
export function moduleNames(): string[] {
  return [...byName.keys()];
}

/** Every module once, by name (for kelpie doc --list). */
export function allModules(): AnyModule[] {
  return [...new Set(byName.values())].sort((a, b) => a.name.localeCompare(b.name));
}
