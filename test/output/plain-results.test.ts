import assert from 'node:assert/strict';
import { plainRenderer } from '../../src/output/plain.js';
import type { RunEvent, TaskRef } from '../../src/output/events.js';

const task: TaskRef = { id: 't1', name: 'install', action: 'yum', isHandler: false, play: 'p' };

function render(events: RunEvent[], verbosity = 0): string {
  let out = '';
  const sink = plainRenderer({ write: (s) => (out += s), verbosity, color: false, diff: false, collapseAbove: 20 });
  for (const e of events) sink(e);
  return out;
}

describe('plain renderer: debug var=', () => {
  it('prints the variable of a debug var= result, which carries changed and failed (as Ansible does)', () => {
    const out = render([
      { type: 'task_start', task, hosts: ['h1'] },
      { type: 'host_result', task, result: { host: 'h1', status: 'ok', result: { changed: false, a: [1], failed: false }, durationMs: 1 } },
      { type: 'task_end', task },
    ]);
    assert.match(out, /^ok: \[h1\] => \{\n    "a": \[\n        1\n    \]\n\}$/m);
  });
});

describe('plain renderer: a result carrying `results`', () => {
  it("prints the line of a module whose own result has `results` (yum's output lines), not only loops'", () => {
    const out = render([
      { type: 'task_start', task, hosts: ['h1'] },
      { type: 'host_result', task, result: { host: 'h1', status: 'changed', result: { changed: true, results: ['Complete!'] }, durationMs: 1 } },
      { type: 'task_end', task },
    ]);
    assert.match(out, /^changed: \[h1\]$/m);
  });

  it("keeps a loop's aggregate quiet after its per-item lines", () => {
    const out = render([
      { type: 'task_start', task, hosts: ['h1'] },
      { type: 'item_result', task, result: { host: 'h1', status: 'changed', item: 'a', result: { changed: true }, durationMs: 1 } },
      { type: 'host_result', task, result: { host: 'h1', status: 'changed', result: { changed: true, results: [{ changed: true }] }, durationMs: 1 } },
      { type: 'task_end', task },
    ]);
    assert.equal(out.match(/changed: \[h1\]/g)?.length, 1);
    assert.match(out, /changed: \[h1\] => \(item=a\)/);
  });
});

describe('plain renderer: a handler notified', () => {
  it("prints Ansible's NOTIFIED HANDLER line from -vv on, and nothing below", () => {
    const events: RunEvent[] = [{ type: 'handler_notified', handler: 'web : restart nginx', host: 'h1', task }];
    assert.equal(render(events, 2), 'NOTIFIED HANDLER web : restart nginx for h1\n');
    assert.equal(render(events, 1), '');
  });
});
