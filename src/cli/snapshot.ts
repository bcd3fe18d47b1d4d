/**
 * The bin's startup snapshot: scripts/bundle.mjs runs the CLI bundle under `node
 * --build-snapshot`, and Node saves the heap it leaves (every module of the bundle loaded, the
 * module catalogue registered, the functions a playbook load runs already compiled) in
 * dist/kelpie.blob. The bin (dist/kelpie, a sh script) starts `node --snapshot-blob
 * dist/kelpie.blob`, which deserializes that heap instead of reading, compiling and running
 * the bundle's top level, and calls the function given here.
 *
 * What runs here runs once, on the build machine: nothing that depends on the user's process
 * (argv, cwd, environment, terminal, time, random numbers) may be read and kept at this point.
 * kelpie's modules read those when they are used, not when they are imported; the warm-up
 * below loads playbooks for the compiled code it leaves behind and forgets what it read.
 */
import { resolve } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { loadModules } from '../modules/index.js';
import { loadPlaybook } from '../playbook/index.js';
import { forgetParsedFiles } from '../playbook/source.js';

/** Whether this process is building the snapshot (`node --build-snapshot dist/kelpie.cjs`). */
export function buildingSnapshot(): boolean {
  return startupSnapshot.isBuildingSnapshot();
}

/**
 * Loads the playbooks named after the bundle on the build's command line (scripts/bundle.mjs
 * passes playbooks/site.yaml), so that V8 compiles what loading and checking a playbook runs
 * and the snapshot keeps that bytecode: a start then runs it instead of compiling it again.
 * Then sets `main` as what a start from the snapshot runs. Node passes no script name there,
 * so the user's arguments start at argv[1].
 */
export async function buildSnapshot(main: (args: string[]) => void, warmUpFiles: readonly string[]): Promise<void> {
  loadModules();
  for (const file of warmUpFiles) await loadPlaybook(resolve(file));
  forgetParsedFiles();
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1)));
}
