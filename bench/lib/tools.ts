/** How the benchmark invokes each tool, configured as fairly as each allows. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunKind, Tool } from './options.js';
import { measure, type Measured } from './measure.js';
import { run } from '../../src/lab/exec.js';
import { packageRoot } from '../../src/packageRoot.js';

/** Where playbook.yaml lives: bench/ in the source tree (also when running from dist/bench). */
export const BENCH_DIR = join(packageRoot(), 'bench');
const DIST = join(packageRoot(), 'dist');
const BUILT_BIN = join(DIST, 'kelpie');

/**
 * kelpie's CLI started as a user starts it, as [command, arguments]: the built bin dist/kelpie
 * (`npm run build`: a sh script that starts Node from kelpie's startup snapshot, or runs the
 * bundle when it cannot) when present, else the TS through tsx.
 * KELPIE_BENCH_PROFILE=DIR writes a V8 CPU profile of every kelpie run there (node --cpu-prof):
 * Node's flags cannot go through the bin, so such a run starts Node from the snapshot itself
 * (the same process the bin would exec, with the flag) or, without a snapshot, the bundle.
 */
export function kelpieCommand(args: readonly string[]): [string, string[]] {
  const prof = process.env.KELPIE_BENCH_PROFILE;
  if (!kelpieIsBuilt()) {
    // resolved to a file URL: the child runs in another directory, where a bare 'tsx' would not resolve
    return [process.execPath, [...(prof ? profileFlags(prof) : []), '--import', import.meta.resolve('tsx'), join(packageRoot(), 'src', 'cli', 'main.ts'), ...args]];
  }
  if (!prof) return [BUILT_BIN, [...args]];
  const blob = join(DIST, 'kelpie.blob');
  if (existsSync(blob)) return [process.execPath, [...profileFlags(prof), '--snapshot-blob', blob, '--', ...args]];
  return [process.execPath, [...profileFlags(prof), join(DIST, 'kelpie.mjs'), ...args]];
}

function profileFlags(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Whether kelpieCommand() runs the built bin (a run through tsx pays its compilation on every start). */
export function kelpieIsBuilt(): boolean {
  return existsSync(BUILT_BIN);
}

export interface ToolRun {
  tool: Tool;
  run: RunKind;
  inventory: string;
  hosts: number;
  playbook: string;
  /** A fresh directory for this invocation (Ansible's config and control sockets). */
  workDir: string;
}

export async function ensureAnsible(log: (s: string) => void): Promise<void> {
  if (existsSync('/usr/bin/ansible-playbook')) return;
  log('installing ansible-core with apt-get (Debian package) …');
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'ansible-core'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * Ansible as its docs recommend for speed: forks = hosts, pipelining, SSH ControlPersist,
 * strict host keys from the lab's known_hosts (the inventory's ansible_ssh_common_args), the
 * same fact gathering as kelpie (the play's gather_facts), no retry files.
 */
function ansibleCfg(hosts: number, controlDir: string): string {
  return [
    '[defaults]',
    `forks = ${hosts}`,
    'gathering = implicit',
    'host_key_checking = True',
    'interpreter_python = /usr/bin/python3',
    'retry_files_enabled = False',
    'nocows = 1',
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -o ControlMaster=auto -o ControlPersist=60s',
    `control_path_dir = ${controlDir}`,
    '',
  ].join('\n');
}

export async function runTool(r: ToolRun): Promise<Measured> {
  const extra = r.run === 'check' ? ['--check', '--diff'] : [];
  await mkdir(r.workDir, { recursive: true });
  if (r.tool === 'kelpie') {
    return measure(...kelpieCommand(['playbook', r.playbook, '-i', r.inventory, '--forks', String(r.hosts), ...extra]), {
      cwd: r.workDir,
      env: { ...process.env, CI: 'true' },
    });
  }
  const controlDir = join(r.workDir, 'cp');
  await mkdir(controlDir, { recursive: true });
  const cfg = join(r.workDir, 'ansible.cfg');
  await writeFile(cfg, ansibleCfg(r.hosts, controlDir));
  return measure('ansible-playbook', [r.playbook, '-i', r.inventory, ...extra], {
    cwd: r.workDir,
    env: { ...process.env, ANSIBLE_CONFIG: cfg, ANSIBLE_LOCAL_TEMP: join(r.workDir, 'tmp'), ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1' },
    alsoMatch: controlDir,
  });
}
