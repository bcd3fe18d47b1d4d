/**
 * The controller-only scale run: N simulated hosts (sim/server.ts, a separate process) on
 * 127.0.0.1, one kelpie run of scale-playbook.yaml against all of them, measuring the kelpie
 * process alone: wall time, peak memory (PSS, sampled), results per second, and how the
 * plain output kept flowing (lines printed, the longest silence on stdout).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { stringify } from 'yaml';
import { measure } from '../lib/measure.js';
import { parseRecap } from '../lib/stats.js';
import { BENCH_DIR, kelpieCommand } from '../lib/tools.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EXT = fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js';

export interface ScaleRow {
  hosts: number;
  wall_s: number;
  peak_rss_mb: number;
  mb_per_host: number;
  task_host_per_s: number;
  output_lines: number;
  max_output_gap_s: number;
}

async function startServer(): Promise<{ port: number; publicKey: string; stop: () => void }> {
  const child = spawn(process.execPath, [...(EXT === '.ts' ? ['--import', import.meta.resolve('tsx')] : []), join(HERE, `server${EXT}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`simulated host server exited ${String(c)}`)));
  });
  const { port, publicKey } = JSON.parse(first) as { port: number; publicKey: string };
  return { port, publicKey, stop: () => void child.kill('SIGTERM') };
}

export function renderScale(rows: readonly ScaleRow[]): string {
  const head = 'hosts  wall s  peak MB  MB/host  task-host/s  output lines  longest output gap s';
  const body = rows.map((r) =>
    [
      String(r.hosts).padStart(5),
      r.wall_s.toFixed(1).padStart(6),
      r.peak_rss_mb.toFixed(0).padStart(7),
      r.mb_per_host.toFixed(3).padStart(7),
      r.task_host_per_s.toFixed(0).padStart(11),
      String(r.output_lines).padStart(12),
      r.max_output_gap_s.toFixed(2).padStart(20),
    ].join('  '),
  );
  return [head, ...body].join('\n') + '\n';
}

export async function scaleRun(sizes: number[], log: (s: string) => void): Promise<{ rows: ScaleRow[]; table: string }> {
  const server = await startServer();
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-scale-'));
  const rows: ScaleRow[] = [];
  try {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    await writeFile(join(dir, 'id_ed25519'), key, { mode: 0o600 });
    await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${server.port} ${server.publicKey}\n`);
    for (const n of sizes) {
      const hosts: Record<string, Record<string, string | number>> = {};
      for (let i = 1; i <= n; i++) hosts[`sim${String(i).padStart(5, '0')}`] = { ansible_host: '127.0.0.1', ansible_port: server.port };
      const vars = { ansible_user: 'sim', ansible_ssh_private_key_file: join(dir, 'id_ed25519'), kelpie_known_hosts: join(dir, 'known_hosts') };
      const inv = join(dir, `inventory-${n}.yml`);
      await writeFile(inv, stringify({ all: { hosts, vars } }));
      const m = await measure(...kelpieCommand(['playbook', join(BENCH_DIR, 'scale-playbook.yaml'), '-i', inv, '--forks', String(n)]), {
        cwd: dir,
        env: { ...process.env, CI: 'true' },
      });
      const recap = parseRecap(m.stdout);
      if (m.rc !== 0 || recap.hosts !== n || recap.failed || recap.unreachable) {
        const keep = join(tmpdir(), `kelpie-scale-${n}.out`);
        await writeFile(keep, `${m.stdout}\n--- stderr ---\n${m.stderr}`);
        log(`output kept in ${keep}; stderr tail:\n${m.stderr.split('\n').slice(-10).join('\n')}`);
        throw new Error(`scale run with ${n} simulated hosts failed (rc ${m.rc}, ${recap.hosts} hosts in the recap)`);
      }
      const gaps = m.stdoutTimes.map((t, i) => t - (m.stdoutTimes[i - 1] ?? 0));
      const row: ScaleRow = {
        hosts: n,
        wall_s: m.wall_s,
        peak_rss_mb: m.peak_mb,
        mb_per_host: m.peak_mb / n,
        task_host_per_s: recap.results / m.wall_s,
        output_lines: m.stdout.split('\n').length - 1,
        max_output_gap_s: Math.max(0, ...gaps) / 1000,
      };
      log(`${n} simulated hosts: ${row.wall_s.toFixed(1)} s, ${row.peak_rss_mb.toFixed(0)} MB, ${recap.results} results`);
      rows.push(row);
    }
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, table: renderScale(rows) };
}
