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
 * below checks a playbook for the compiled code it leaves behind and forgets what it read.
 */
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { startupSnapshot } from 'node:v8';
import { forgetParsedFiles } from '../playbook/source.js';
import type { Io } from './io.js';
import { main } from './run.js';

/** Whether this process is building the snapshot (`node --build-snapshot dist/kelpie.cjs`). */
export function buildingSnapshot(): boolean {
  return startupSnapshot.isBuildingSnapshot();
}

/**
 * Runs `kelpie playbook FILE --syntax-check` on the playbooks named after the bundle on the
 * build's command line (scripts/bundle.mjs passes playbooks/site.yaml), with no environment but
 * KELPIE_NO_CACHE (the playbooks are loaded, not taken from a cache of loaded ones) and its output
 * dropped, so that V8 compiles what a start runs (the option parser, the config,
 * loading and checking the playbooks) and the snapshot keeps that bytecode: a start then runs it
 * instead of compiling it again. Then sets `start` as what a start from the snapshot runs. Node
 * passes no script name there, so the user's arguments start at argv[1].
 */
export async function buildSnapshot(start: (args: string[]) => void, warmUpFiles: readonly string[]): Promise<void> {
  let said = '';
  const io: Io = { out: () => undefined, err: (s) => void (said += s), cwd: process.cwd(), env: { KELPIE_NO_CACHE: '1' }, tty: false, stdin: new PassThrough() };
  for (const file of warmUpFiles) {
    const code = await main(['playbook', resolve(file), '--syntax-check'], io);
    if (code !== 0) throw new Error(`the warm-up's syntax check of ${file} exited ${code}: ${said}`);
  }
  forgetParsedFiles();
  startupSnapshot.setDeserializeMainFunction(() => start(process.argv.slice(1)));
}
