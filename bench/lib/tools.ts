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
const BUILT_BIN = join(packageRoot(), 'dist', 'kelpie.mjs');

/** kelpie's CLI: the built bin (dist/kelpie.mjs, what `npm run build` ships) when present, else the TS through tsx. */
export function kelpieArgv(): string[] {
  // KELPIE_BENCH_PROFILE=DIR writes a V8 CPU profile of every kelpie run there (node --cpu-prof)
  const prof = process.env.KELPIE_BENCH_PROFILE;
  const profile = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  return [...profile, ...kelpieEntry()];
}

/** Whether kelpieArgv() runs the built bin (a run through tsx pays its compilation on every start). */
export function kelpieIsBuilt(): boolean {
  return existsSync(BUILT_BIN);
}

function kelpieEntry(): string[] {
  if (kelpieIsBuilt()) return [BUILT_BIN];
  // resolved to a file URL: the child runs in another directory, where a bare 'tsx' would not resolve
  return ['--import', import.meta.resolve('tsx'), join(packageRoot(), 'src', 'cli', 'main.ts')];
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
    return measure(process.execPath, [...kelpieArgv(), 'playbook', r.playbook, '-i', r.inventory, '--forks', String(r.hosts), ...extra], {
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
