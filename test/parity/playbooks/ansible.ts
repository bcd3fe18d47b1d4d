/**
 * Runs a batch with the real ansible-playbook (Debian's ansible-core), recording every result
 * through the parity_recorder callback (ansible/parity_recorder.py).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from './batch.js';
import { modeFlags, type Mode } from './cases.js';
import type { RunOutcome } from './outcome.js';

export function ensureAnsible(): void {
  if (spawnSync('ansible-playbook', ['--version']).status === 0) return;
  console.log('parity:record: installing ansible-core (Debian)');
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'ansible-core'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function runAnsible(batch: Batch, mode: Mode): RunOutcome {
  const out = join(batch.root, 'ansible-results.json');
  const r = spawnSync('ansible-playbook', ['-i', batch.inventory, batch.playbook, ...modeFlags[mode]], {
    cwd: batch.root,
    encoding: 'utf8',
    env: {
      ...process.env,
      KELPIE_PARITY_OUT: out,
      ANSIBLE_CALLBACK_PLUGINS: join(import.meta.dirname, 'ansible'),
      ANSIBLE_CALLBACKS_ENABLED: 'parity_recorder',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_REMOTE_TMP: join(batch.root, '.ansible-remote'),
      ANSIBLE_LOCAL_TEMP: join(batch.root, '.ansible-local'),
      ANSIBLE_DEPRECATION_WARNINGS: '0',
      ANSIBLE_FORKS: '4',
    },
  });
  writeFileSync(join(batch.root, `ansible-${mode}.log`), `${r.stdout}\n${r.stderr}`);
  if (existsSync(out)) return JSON.parse(readFileSync(out, 'utf8')) as RunOutcome;
  if (r.status === 4 && /ERROR!/.test(r.stderr)) return { hosts: {}, recap: {}, load_error: true };
  throw new Error(`ansible-playbook (${mode}) recorded nothing (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}
