import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runner } from '../../src/executor/runner.js';
import { loadInventory } from '../../src/inventory/index.js';
import { loadModules } from '../../src/modules/index.js';
import type { RunEvent } from '../../src/output/events.js';
import { loadPlaybook } from '../../src/playbook/index.js';

describe('executor: a host result is emitted the moment that host finishes', () => {
  it('the fast host is reported while the slow host is still running the same task', async () => {
    // The slow host waits until the test has SEEN the fast host's result: if results were
    // held back until every host finished the task, it would wait in vain and fail.
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-stream-'));
    const go = join(dir, 'fast-was-reported');
    writeFileSync(join(dir, 'inv.yaml'), 'all:\n  hosts:\n    fast: { ansible_connection: local }\n    slow: { ansible_connection: local }\n');
    writeFileSync(
      join(dir, 'pb.yaml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - name: slow waits for the fast host's result
      shell: "{{ 'i=0; while [ ! -e ${go} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -e ${go}' if inventory_hostname == 'slow' else 'true' }}"
`,
    );
    loadModules();
    const events: RunEvent[] = [];
    const sink = (e: RunEvent): void => {
      events.push(e);
      if (e.type === 'host_result' && e.result.host === 'fast') writeFileSync(go, '');
    };
    const runner = new Runner({ inventory: await loadInventory([join(dir, 'inv.yaml')]), checkMode: false, diffMode: false, extraVars: {}, forks: 5, verbosity: 0, sink, connectionDefaults: {} });
    const summary = await runner.run([await loadPlaybook(join(dir, 'pb.yaml'))]);
    assert.ok(existsSync(go));
    assert.equal(summary.exitCode, 0, JSON.stringify(events.filter((e) => e.type === 'host_result')));
    const order = events.filter((e) => e.type === 'host_result').map((e) => (e.type === 'host_result' ? `${e.result.host}:${e.result.status}` : ''));
    assert.deepEqual(order, ['fast:changed', 'slow:changed']);
  });
});
