import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../src/output/record.js';
import { perHost, sortedStats } from '../helpers/reportShape.js';
import { runCli } from '../helpers/runCli.js';

describe('kelpie report merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-merge-'));
  const hosts = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'c3'];
  writeFileSync(join(dir, 'inv.yaml'), `all:\n  vars: { ansible_connection: local }\n  hosts: { ${hosts.map((h) => `${h}: {}`).join(', ')} }\n`);
  writeFileSync(
    join(dir, 'pb.yaml'),
    `- name: roll
  hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - name: marker
      copy: { dest: "${dir}/out-{{ inventory_hostname }}", content: "{{ inventory_hostname }}\\n" }
    - name: only b
      debug: { msg: b }
      when: inventory_hostname.startswith('b')
- name: fail c3
  hosts: all
  gather_facts: false
  tasks:
    - fail: { msg: c3 is broken }
      when: inventory_hostname == 'c3'
`,
  );
  const run = (extra: string[]) => runCli(['playbook', join(dir, 'pb.yaml'), '-i', join(dir, 'inv.yaml'), '--check', ...extra]);
  const read = (f: string): RunReport => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunReport;

  it('3 shards merged give the per-host results, recap and exit code of one run', async () => {
    const whole = await run(['--json', join(dir, 'whole.json')]);
    assert.equal(whole.code, 2);
    for (const k of [1, 2, 3]) assert.equal((await run(['--shard', `${k}/3`, '--json', join(dir, `s${k}.json`)])).code, k === 1 ? 2 : 0);
    const merged = await runCli(['report', 'merge', 's1.json', 's2.json', 's3.json', '--json', 'merged.json', '--report', 'junit=merged.xml', '--report', 'markdown=merged.md'], { cwd: dir });
    assert.equal(merged.code, 2, merged.err);
    const one = read('whole.json');
    const joined = read('merged.json');
    assert.deepEqual(perHost(joined), perHost(one));
    assert.deepEqual(sortedStats(joined), sortedStats(one));
    assert.match(merged.out, /PLAY RECAP \(3 reports\)/);
    assert.match(merged.out, /c3\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=1/);
    assert.equal((readFileSync(join(dir, 'merged.xml'), 'utf8').match(/<testcase /g) ?? []).length, 7 * 3);
    assert.match(readFileSync(join(dir, 'merged.md'), 'utf8'), /c3 is broken/);
  });

  it('a check run cannot merge with a real run; a missing or foreign file is a bad option', async () => {
    writeFileSync(join(dir, 'real.json'), JSON.stringify({ ...read('s1.json'), check_mode: false }));
    const mixed = await runCli(['report', 'merge', 's1.json', 'real.json'], { cwd: dir });
    assert.equal(mixed.code, 5);
    assert.match(mixed.err, /cannot merge the report of a check run with the report of a real run/);
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const foreign = await runCli(['report', 'merge', 'other.json'], { cwd: dir });
    assert.equal(foreign.code, 5);
    assert.match(foreign.err, /other\.json is not a kelpie --json report/);
  });

  it('a shard that was interrupted decides the exit code and says so', async () => {
    writeFileSync(join(dir, 'stopped.json'), JSON.stringify({ ...read('s2.json'), exit_code: 99, interrupted: 'SIGINT' }));
    const r = await runCli(['report', 'merge', 's1.json', 'stopped.json'], { cwd: dir });
    assert.equal(r.code, 99);
    assert.match(r.err, /a shard was interrupted by SIGINT/);
  });
});
