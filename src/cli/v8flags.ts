/**
 * V8 settings for a kelpie process, applied before any of its code runs: by the bin's launcher
 * (src/cli/launcher.ts) before it compiles the bundle, and by main.ts for the unbundled builds.
 * They must be set before compiling: V8 refuses a code cache made under other flags.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * A start runs a few hundred ms of JS once (reading and checking the playbooks), and V8 spent a
 * quarter of a --syntax-check's CPU optimizing functions that never ran again. Six times its
 * default budget before optimizing a function: what stays hot in a long run is still optimized,
 * a little later. (bench/README.md has the measurement.)
 */
export const V8_FLAGS = ['--interrupt-budget=400000'];

export function tuneV8(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
