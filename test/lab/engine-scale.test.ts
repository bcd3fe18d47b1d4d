/**
 * Scale and output on real hosts: 20 hosts x ~10 tasks give identical results with --forks 5
 * and --forks 50, sshd never sees more than 8 channels on one connection, the JSON report
 * holds every task result per host, plain output has a recap line per host, and the live
 * view shows each host's progress during a task under a pseudo-terminal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labUp, type Lab } from '../../src/lab/index.js';
import { labHostVars, writeInventory } from '../helpers/engineLab.js';
import { useLab, type JsonReport } from '../helpers/labHarness.js';
import { watchChannels } from '../helpers/sshdChannels.js';
import { FakeTerminal } from '../helpers/fakeTerminal.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../fixtures/lab-engine');
const repo = join(here, '../..');
const LAB = 'engscale';
const TASKS = 12; // Gathering Facts + the 11 tasks of scale.yaml
// timings, facts and what a fresh host's inode/device/clock give the stat module
const VOLATILE = new Set(['start', 'end', 'delta', 'duration_ms', 'ansible_facts', 'atime', 'mtime', 'ctime', 'dev', 'inode']);

function labInventory(lab: Lab, hosts = lab.hosts): string {
  return writeInventory(lab, hosts.map((h) => ({ name: h.name, vars: labHostVars(lab, h) })));
}

/** The CLI as a child process (so sampling /proc never competes with it for the event loop). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repo, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !VOLATILE.has(k)).map(([k, x]) => [k, strip(x)]));
  return v;
}

/** task → host → {status, result without timings/facts}, plus the recap. */
function comparable(r: JsonReport): unknown {
  return { exit: r.exit_code, stats: r.stats, tasks: r.plays.flatMap((p) => p.tasks.map((t) => ({ name: t.name, hosts: strip(t.hosts) }))) };
}

describe('lab engine: scale and output on 20 real hosts', function () {
  this.timeout(600_000);
  const h = useLab(LAB, 20);
  let fresh: Lab | undefined; // the lab restarted for the second run (h.lab() holds the first one's PIDs)
  const lab = (): Lab => fresh ?? h.lab();
  const reports: Record<string, JsonReport> = {};
  const outs: Record<string, string> = {};
  const peaks: string[] = [];

  for (const forks of [5, 50]) {
    it(`--forks ${forks}: all 20 hosts run every task, no connection ever holds more than 8 channels`, async () => {
      // fresh hosts for each run, so both runs start from the same state
      if (forks === 50) fresh = await labUp(20, { name: LAB });
      const lab = fresh ?? h.lab();
      const json = join(mkdtempSync(join(tmpdir(), 'kelpie-scale-')), 'report.json');
      const watch = watchChannels(new Set(lab.hosts.map((x) => x.pid)));
      const r = await cli(['playbook', join(fixtures, 'scale.yaml'), '-i', labInventory(lab), '--forks', String(forks), '--json', json], { CI: 'true' });
      const seen = watch.stop();
      peaks.push(`--forks ${forks}: peak ${seen.peak} channels on one connection, ${seen.connections} connections, ${seen.samples} samples`);
      assert.equal(r.code, 0, r.out);
      const multi = lab.hosts.filter((x) => (seen.perRoot.get(x.pid)?.size ?? 0) !== 1).map((x) => `${x.name}: ${seen.perRoot.get(x.pid)?.size ?? 0}`);
      assert.deepEqual(multi, [], 'one SSH connection per host for the whole run');
      assert.ok(seen.peak >= 1 && seen.peak <= 8, `channels per connection within 1..8 (${seen.peak})`);
      const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
      reports[forks] = report;
      outs[forks] = r.out;
      const tasks = report.plays.flatMap((p) => p.tasks);
      assert.equal(tasks.length, TASKS);
      for (const t of tasks) assert.deepEqual(Object.keys(t.hosts).sort(), lab.hosts.map((x) => x.name).sort(), `every host has a result for '${t.name}'`);
      for (const x of lab.hosts) {
        assert.match(r.out, new RegExp(`^${x.name}\\s+: ok=11\\s+changed=\\d+\\s+unreachable=0\\s+failed=0\\s+skipped=1\\s+rescued=0\\s+ignored=0\\s*$`, 'm'));
        const summary = (tasks.find((t) => t.name === 'show')?.hosts[x.name]?.result.msg);
        assert.equal(summary, `3 lines, ${`rendered for ${x.name}\n`.length} bytes`);
      }
      assert.match(r.out, /PLAY RECAP \*+/);
    });
  }

  it('--forks 5 and --forks 50 produce identical results', () => {
    assert.ok(reports[5] && reports[50], 'both runs happened');
    assert.deepEqual(comparable(reports[50]), comparable(reports[5]));
    console.log(peaks.map((p) => `      ${p}`).join('\n'));
  });

  it('thirteen become identities on one connection stay within 8 channels (idle sessions are evicted)', async () => {
    const host = lab().hosts[19]!;
    const json = join(mkdtempSync(join(tmpdir(), 'kelpie-chan-')), 'report.json');
    const watch = watchChannels(new Set([host.pid]), 5);
    const r = await cli(['playbook', join(fixtures, 'channels.yaml'), '-i', labInventory(lab(), [host]), '--json', json], { CI: 'true' });
    const seen = watch.stop();
    console.log(`      13 identities: peak ${seen.peak} channels, ${seen.connections} connection(s), ${seen.samples} samples`);
    assert.equal(r.code, 0, r.out);
    assert.equal(seen.connections, 1);
    assert.ok(seen.peak > 2, `several sessions were open at once (${seen.peak})`);
    assert.ok(seen.peak <= 8, `never more than 8 channels on the connection (${seen.peak})`);
  });

  it('the live view on a pseudo-terminal: frames during a task show some hosts done while others still run', async () => {
    const hosts = lab().hosts;
    const inv = writeInventory(lab(), hosts.map((x, i) => ({ name: x.name, vars: { ...labHostVars(lab(), x), nap: i % 4 } })));
    const kelpie = ['node', '--import', 'tsx', 'src/cli/main.ts', 'playbook', join(fixtures, 'live.yaml'), '-i', inv].map((a) => `'${a}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env.CI; // CI=true would pick the plain renderer
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      // a 100×30 terminal: the 20 hosts fit, one row each
      const child = spawn('script', ['-qfec', `stty rows 30 cols 100; ${kelpie}`, '/dev/null'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => resolve({ code, out }));
    });
    assert.equal(r.code, 0, r.out);
    const raw = r.out.replace(/\r\n/g, '\n');
    // each redraw moves up over the last frame and erases it: what follows is the next frame
    const esc = '\u001b';
    const frames = raw.split(new RegExp(`${esc}\\[\\d+A\\r${esc}\\[J`)).map((chunk) => {
      const lines = chunk.replace(new RegExp(`${esc}\\[[0-9;]*m`, 'g'), '').split('\n');
      return lines.slice(lines.findIndex((l) => l.startsWith('PLAY [all] ·'))).filter(Boolean);
    });
    const during = frames.filter((f) => /^PLAY \[all\] · task 1\/2 · sleep a while/.test(f[0] ?? ''));
    const mixed = during.filter((f) => f.some((l) => /^ {2}\S+ +changed \d/.test(l)) && f.some((l) => /^ {2}\S+ +running \d+s$/.test(l)));
    assert.ok(mixed.length > 0, `a frame shows hosts done and hosts running:\n${during.map((f) => f.join('\n')).join('\n---\n')}`);
    for (const f of mixed) assert.equal(f.length, 1 + hosts.length, `one row per host:\n${f.join('\n')}`);
    const screen = new FakeTerminal(100, 30);
    screen.write(raw);
    const text = screen.text();
    for (const x of hosts) assert.equal(text.filter((l) => new RegExp(`"msg": "slept \\ds on ${x.name}"`).test(l)).length, 1, `${x.name}'s debug line once:\n${text.join('\n')}`);
    assert.ok(!text.some((l) => /running \d+s/.test(l)), 'the frame is gone at the end');
    const tail = text.slice(text.findIndex((l) => l.startsWith('PLAY RECAP')));
    for (const x of hosts) assert.ok(tail.some((l) => new RegExp(`^${x.name}\\s+: ok=2\\s+changed=1\\s+unreachable=0\\s+failed=0`).test(l)), `${x.name} in the recap:\n${tail.join('\n')}`);
  });
});
