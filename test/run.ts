/**
 * `npm test`: every test/**\/*.test.ts file in ONE mocha run (.mocharc.json) with parallel
 * workers, then the slowest files with their wall times.
 *
 * Most of the suite's time is lab files waiting on their hosts (apt and dpkg, spamd, sshd),
 * so several files run at once (KELPIE_TEST_JOBS, default 4). Each lab file starts its own
 * lab under its own fixed name (KELPIE_LAB_PREFIX in front), and labs get their own subnets,
 * so concurrent files never share a host. Files are queued slowest first (SLOWEST, then the
 * other lab files, then the rest), so the run does not end waiting on a long file that
 * happened to start last; keep SLOWEST in step with the times printed at the end.
 *
 * mocha's own output is unchanged: each file's results when it ends, then every failure with
 * its full title and error, and its exit code (a failure in any file fails `npm test`).
 * Arguments go to mocha: `npm test -- -g apt`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIMES_ENV, type FileTime } from './helpers/fileTimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Measured slowest first (seconds in a serial run on a 2-core machine: see README, Tests). */
const SLOWEST = [
  'test/lab/playbooks/seedEffects.test.ts',
  'test/lab/playbooks/mailFlow.test.ts',
  'test/lab/playbooks/seedPlaybooks.test.ts',
  'test/lab/playbooks/ipvsRouting.test.ts',
  'test/lab/system-modules.test.ts',
  'test/lab/parity-host.test.ts',
  'test/lab/playbooks/spamassassin-centos.test.ts',
];

/** Files that start a lab: they spend their time waiting on hosts. */
const LAB_FILE = /\buseLab\(|\blabUp\(/;

function testFiles(): string[] {
  return readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f))
    .sort((a, b) => a.localeCompare(b, 'en'));
}

function queueOrder(files: readonly string[], isLab: (file: string) => boolean): string[] {
  const rank = (f: string): number => {
    const i = SLOWEST.indexOf(f);
    return i >= 0 ? i : isLab(f) ? SLOWEST.length : SLOWEST.length + 1;
  };
  // Array.prototype.sort is stable: files of one rank keep their name order
  return [...files].sort((a, b) => rank(a) - rank(b));
}

function printSlowest(timesFile: string, count: number): void {
  const lines = readFileSync(timesFile, 'utf8').split('\n').filter(Boolean);
  const times = lines.map((l) => JSON.parse(l) as FileTime).sort((a, b) => b.ms - a.ms);
  if (!times.length) return;
  console.log(`slowest test files (wall time in their worker; ${times.length} files):`);
  for (const t of times.slice(0, count)) console.log(`${(t.ms / 1000).toFixed(1).padStart(8)} s  ${relative(root, t.file)}`);
}

async function main(): Promise<number> {
  const files = testFiles();
  const ordered = queueOrder(files, (f) => LAB_FILE.test(readFileSync(join(root, f), 'utf8')));
  const jobs = process.env.KELPIE_TEST_JOBS ?? '4';
  const timesDir = mkdtempSync(join(tmpdir(), 'kelpie-test-times-'));
  const timesFile = join(timesDir, 'times.jsonl');
  const mocha = join(root, 'node_modules/mocha/bin/mocha.js');
  const args = [mocha, '--parallel', '--jobs', jobs, '--require', 'test/helpers/fileTimes.ts', ...process.argv.slice(2), ...ordered];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, [TIMES_ENV]: timesFile } });
  const code = await new Promise<number>((resolve) => {
    child.on('error', (e) => {
      console.error(`could not start mocha: ${e.message}`);
      resolve(1);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  try {
    printSlowest(timesFile, 10);
  } catch {
    /* no times: mocha stopped before any file ran; its own output says why */
  }
  rmSync(timesDir, { recursive: true, force: true });
  return code;
}

process.exitCode = await main();
