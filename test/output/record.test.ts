import assert from 'node:assert/strict';
import type { HostStatus, RunEvent, TaskRef } from '../../src/output/events.js';
import { RunRecorder } from '../../src/output/record.js';

const task = (id: string, isHandler = false): TaskRef => ({ id, name: id, action: 'command', isHandler, play: 'p' });
const result = (t: TaskRef, host: string, status: HostStatus, extra: { ignored?: boolean; interrupted?: boolean } = {}): RunEvent => ({
  type: 'host_result',
  task: t,
  result: { host, status, result: {}, durationMs: 1, ...extra },
});

describe('RunRecorder: the stats before the recap', () => {
  it('count every result as it arrives, per host', () => {
    const rec = new RunRecorder();
    const a = task('a');
    const b = task('b');
    const h = task('h', true);
    const events: RunEvent[] = [
      { type: 'play_start', name: 'p', hosts: ['web', 'db'] },
      { type: 'task_start', task: a, hosts: ['web', 'db'] },
      result(a, 'web', 'changed'),
      result(a, 'db', 'failed', { ignored: true }),
      { type: 'task_start', task: b, hosts: ['web', 'db'] },
      result(b, 'web', 'skipped'),
      result(b, 'db', 'unreachable'),
      { type: 'task_start', task: h, hosts: ['web'] },
      result(h, 'web', 'failed'),
      // the same handler notified again: an entry of its own, counted again
      { type: 'task_start', task: h, hosts: ['web'] },
      result(h, 'web', 'ok', { interrupted: true }),
    ];
    for (const e of events) rec.apply(e);
    assert.deepEqual(rec.report.stats, {
      web: { ok: 1, changed: 1, unreachable: 0, failed: 1, skipped: 1, rescued: 0, ignored: 0 },
      db: { ok: 1, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 1 },
    });
  });

  it('a result reported again for the same task and host replaces the first one', () => {
    const rec = new RunRecorder();
    const a = task('a');
    rec.apply({ type: 'play_start', name: 'p', hosts: ['web'] });
    rec.apply({ type: 'task_start', task: a, hosts: ['web'] });
    rec.apply(result(a, 'web', 'failed'));
    rec.apply(result(a, 'web', 'changed'));
    assert.deepEqual(rec.report.stats.web, { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  });

  it('the recap replaces them', () => {
    const rec = new RunRecorder();
    const a = task('a');
    rec.apply({ type: 'play_start', name: 'p', hosts: ['web'] });
    rec.apply({ type: 'task_start', task: a, hosts: ['web'] });
    rec.apply(result(a, 'web', 'ok'));
    const recap = { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 1, ignored: 0 };
    rec.apply({ type: 'recap', stats: { web: recap } });
    rec.apply(result(a, 'web', 'changed'));
    assert.deepEqual(rec.report.stats.web, recap);
  });
});
