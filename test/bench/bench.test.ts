/** The benchmark's pure parts: options, recap counting, medians/table, and the simulated host protocol. */
import assert from 'node:assert/strict';
import { parseBenchArgs } from '../../bench/lib/options.js';
import { median, parseRecap, renderTable, summarize, type Measurement } from '../../bench/lib/stats.js';
import { answerLine, LineAnswerer, readyReply } from '../../bench/sim/protocol.js';
import { commandScript, killScript, launchCommand, newToken } from '../../src/connection/script.js';
import { MarkerReader } from '../../src/connection/marker-reader.js';
import { marker } from '../../src/connection/script.js';
import { sh } from '../../src/shell/quote.js';

describe('bench options', () => {
  it('defaults to 1,10,50 hosts, both tools, 3 repetitions', () => {
    const o = parseBenchArgs([]);
    assert.deepEqual([o.hosts, o.tools, o.reps, o.json, o.scale], [[1, 10, 50], ['kelpie', 'ansible'], 3, undefined, []]);
  });
  it('reads --hosts, --json, --tools, --reps and --scale (also with =)', () => {
    const o = parseBenchArgs(['--hosts', '1,10', '--json=out.json', '--tools', 'kelpie', '--reps', '5', '--scale', '1000,5000']);
    assert.deepEqual([o.hosts, o.json, o.tools, o.reps, o.scale], [[1, 10], 'out.json', ['kelpie'], 5, [1000, 5000]]);
  });
  it('rejects unknown tools, bad numbers and lab sizes above 50', () => {
    assert.throws(() => parseBenchArgs(['--tools', 'puppet']), /unknown tool 'puppet'/);
    assert.throws(() => parseBenchArgs(['--hosts', '1,x']), /positive integers/);
    assert.throws(() => parseBenchArgs(['--hosts', '51']), /--scale/);
    assert.throws(() => parseBenchArgs(['--reps']), /needs a value/);
  });
});

describe('bench stats', () => {
  const ansibleRecap = `PLAY RECAP *********\nh1                : ok=21   changed=3    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0   \nh2 : ok=20 changed=0 unreachable=1 failed=1 skipped=0 rescued=0 ignored=0\n`;
  it('sums PLAY RECAP lines: ok (which includes changed), failed, skipped and unreachable results', () => {
    const t = parseRecap(`TASK [x]\nok: [h1]\n${ansibleRecap}`);
    assert.deepEqual(t, { hosts: 2, ok: 41, changed: 3, failed: 1, skipped: 2, unreachable: 1, results: 45 });
  });
  it('counts nothing without a recap', () => {
    assert.equal(parseRecap('fatal: error').hosts, 0);
  });
  it('takes medians per (hosts, tool, run) and prints Ansible/kelpie ratios', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    const m = (tool: 'kelpie' | 'ansible', wall: number, mb: number): Measurement => ({ tool, hosts: 10, run: 'rerun', wall_s: wall, peak_rss_mb: mb, task_host_per_s: 100 / wall });
    const s = summarize([m('kelpie', 1, 80), m('kelpie', 3, 90), m('kelpie', 2, 70), m('ansible', 40, 200)]);
    assert.deepEqual(s.map((r) => [r.tool, r.wall_s, r.peak_rss_mb]), [['ansible', 40, 200], ['kelpie', 2, 80]]);
    const table = renderTable(s);
    assert.match(table, /10\s+rerun\s+20\.0x\s+2\.5x/);
  });
});

describe('simulated host protocol', () => {
  it('answers the launch command with its ready marker', () => {
    const token = newToken();
    assert.equal(readyReply(launchCommand(token, undefined, 'p').text), `${token}r\n`);
    assert.equal(readyReply('exec /bin/bash'), undefined);
  });

  it('frames a command module echo so that kelpie reads its stdout and rc back', async () => {
    const token = newToken();
    const script = commandScript(token, sh`set -- ${['echo', 'hi', "it's"]}; command -v -- "$1" >/dev/null 2>&1 || exit 2; exec "$@"`, {});
    const [reply] = new LineAnswerer().push(script);
    assert.ok(reply);
    const reader = new MarkerReader();
    reader.push(Buffer.from(reply.stdout));
    await reader.readUntil(marker.start(token));
    const { before, extra } = await reader.readUntil(marker.end(token), 4);
    assert.equal(before.toString(), "hi it's\n");
    assert.equal(extra.toString(), '000\n');
  });

  it('refuses commands that carry stdin, and answers the kill re-sync', () => {
    const token = newToken();
    const withStdin = commandScript(token, sh`cat`, { stdin: Buffer.from('x') });
    assert.match(answerLine(withStdin.split('\n')[0]!)?.stdout ?? '', new RegExp(`${token}e127`));
    const kt = newToken();
    assert.deepEqual(answerLine(killScript(kt).trimEnd()), { stdout: `${kt}k\n`, stderr: `${kt}k\n` });
  });

  it('waits for a whole line before answering', () => {
    const a = new LineAnswerer();
    const script = commandScript(newToken(), sh`true`, {});
    assert.equal(a.push(script.slice(0, 20)).length, 0);
    assert.equal(a.push(script.slice(20)).length, 1);
  });
});
