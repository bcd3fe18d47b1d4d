import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherFacts, KelpieError, run, type RunEvent } from '../../src/index.js';

function scratch(playbook: string): { dir: string; pb: string; inv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-api-'));
  writeFileSync(join(dir, 'inv.yaml'), 'all:\n  hosts:\n    one: { ansible_connection: local }\n    two: { ansible_connection: local }\n');
  writeFileSync(join(dir, 'pb.yaml'), playbook);
  return { dir, pb: join(dir, 'pb.yaml'), inv: join(dir, 'inv.yaml') };
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('library: run() yields the run as events', () => {
  it('the run, play, tasks, each host result, the handler notified then run, a warning, the recap and the exit code, in order', async () => {
    const s = scratch(`- hosts: all:nosuchgroup
  gather_facts: false
  tasks:
    - name: touch
      command: "true"
      changed_when: true
      notify: react
    - name: fail on two
      fail: { msg: no }
      when: inventory_hostname == 'two'
  handlers:
    - name: react
      debug: { msg: reacted }
`);
    const events = await collect(run({ playbooks: [s.pb], inventory: s.inv }));
    const shape = events.map((e) => {
      switch (e.type) {
        case 'task_start':
          return `${e.task.isHandler ? 'handler' : 'task'} ${e.task.name}`;
        case 'host_result':
          return `${e.result.host} ${e.result.status}`;
        case 'handler_notified':
          return `${e.host} notified ${e.handler} by ${e.task.name}`;
        case 'run_start':
          return `run_start ${e.playbooks.join(' ')} check=${e.checkMode}`;
        case 'warning':
          return `warning ${e.message}`;
        case 'recap':
          return `recap ${Object.entries(e.stats).map(([h, st]) => `${h}:${st.ok}/${st.changed}/${st.failed}`).join(' ')}`;
        case 'playbook_end':
          return `end ${e.exitCode}`;
        default:
          return e.type;
      }
    });
    const sortedPair = (a: number): string[] => shape.slice(a, a + 2).sort();
    assert.deepEqual(shape.slice(0, 5), [`run_start ${s.pb} check=false`, 'playbook_start', "warning Could not match supplied host pattern, ignoring: nosuchgroup", 'play_start', 'task touch']);
    // the hosts finish in any order; each one's notification follows its own result
    const firstHost = shape[5]!.split(' ')[0]!;
    const secondHost = firstHost === 'one' ? 'two' : 'one';
    assert.deepEqual(shape.slice(5, 9), [`${firstHost} changed`, `${firstHost} notified react by touch`, `${secondHost} changed`, `${secondHost} notified react by touch`]);
    assert.deepEqual(shape.slice(9, 11), ['task_end', 'task fail on two']);
    assert.deepEqual(sortedPair(11), ['one skipped', 'two failed']);
    assert.deepEqual(shape.slice(13), ['task_end', 'handler react', 'one ok', 'task_end', 'play_end', 'recap one:2/1/0 two:1/1/1', 'end 2']);
  });

  it('run_start comes first: the warnings of loading the inventory follow it, or precede the error that ends the run', async () => {
    const s = scratch('- hosts: all\n  gather_facts: false\n  tasks: []\n');
    writeFileSync(join(s.dir, 'same.yaml'), 'all:\n  children:\n    one: {}\n  hosts:\n    one: { ansible_connection: local }\n');
    const events = await collect(run({ playbooks: [s.pb], inventory: join(s.dir, 'same.yaml') }));
    assert.deepEqual(events.slice(0, 2).map((e) => (e.type === 'warning' ? e.message : e.type)), ['run_start', 'Found both group and host with same name: one']);
    const seen: RunEvent[] = [];
    writeFileSync(s.pb, '- hosts: all\n  tasks:\n    - nosuchmodule: {}\n');
    await assert.rejects(async () => {
      for await (const e of run({ playbooks: [s.pb], inventory: join(s.dir, 'same.yaml') })) seen.push(e);
    }, KelpieError);
    assert.deepEqual(seen.map((e) => e.type), ['warning']);
  });

  it('a playbook that cannot be loaded makes the loop throw, naming file:line:col', async () => {
    const s = scratch('- hosts: all\n  tasks:\n    - name: typo\n      comand: ls\n');
    await assert.rejects(collect(run({ playbooks: [s.pb], inventory: s.inv })), (e: unknown) => {
      assert.ok(e instanceof KelpieError);
      assert.match(e.format(), new RegExp(`${s.pb}:4:7: .*comand.*did you mean 'command'`));
      return true;
    });
  });

  it('leaving the loop early stops the run: the command running on the host is killed', async () => {
    const token = `kelpie-api-${process.pid}-${Date.now()}`;
    const s = scratch(`- hosts: one\n  gather_facts: false\n  tasks:\n    - name: long\n      shell: "sleep 60; echo ${token}"\n`);
    const running = (): boolean => execFileSync('ps', ['-eo', 'args']).toString().includes(`sleep 60; echo ${token}`);
    for await (const e of run({ playbooks: [s.pb], inventory: s.inv })) {
      if (e.type !== 'task_start') continue;
      for (let i = 0; i < 100 && !running(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(running(), 'the task started on the host');
      break;
    }
    assert.equal(running(), false);
  });

  it('gatherFacts(host) gathers one host over its connection (localhost: local)', async () => {
    const facts = await gatherFacts('localhost');
    // keyed as Ansible's ansible_facts dict is: hostname, not ansible_hostname
    assert.equal(facts.hostname, execFileSync('hostname', ['-s']).toString().trim());
    assert.equal(facts.system, 'Linux');
  });
});
