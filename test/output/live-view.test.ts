/**
 * Frame tests of the live view: events in, a fake clock, a fake terminal of a fixed size, and
 * assertions on what the terminal shows (as listr2's own tests render to a fake stream).
 */
import assert from 'node:assert/strict';
import type { HostStatus, RunEvent, TaskHostResult, TaskRef } from '../../src/output/events.js';
import { liveFrame } from '../../src/output/liveFrame.js';
import { LiveState } from '../../src/output/liveState.js';
import { liveRenderer } from '../../src/output/live.js';
import { FakeTerminal } from '../helpers/fakeTerminal.js';

const hostNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);
const task = (n: number, name: string, isHandler = false): TaskRef => ({ id: `t${n}`, name, action: 'command', isHandler, play: 'fleet' });
const result = (host: string, status: HostStatus, extra: Partial<TaskHostResult> = {}): TaskHostResult => ({
  host,
  status,
  result: { changed: status === 'changed', ...(status === 'failed' ? { failed: true, msg: `boom on ${host}\nsecond line` } : {}) },
  durationMs: 800,
  ...extra,
});

/** A state fed with events at the fake clock's times. */
class Script {
  t = 1_000_000;
  readonly state = new LiveState();
  readonly now = (): number => this.t;
  emit(...events: RunEvent[]): this {
    for (const e of events) this.state.apply(e, this.t);
    return this;
  }
  after(ms: number): this {
    this.t += ms;
    return this;
  }
  frame(columns: number, rows: number): string[] {
    return liveFrame(this.state, { columns, rows }, this.t, false);
  }
}

function playOf(hosts: string[], total = 5, approximate?: string): RunEvent {
  return { type: 'play_start', name: 'fleet', hosts, tasks: { total, ...(approximate ? { approximate } : {}) } };
}

describe('live view frames', () => {
  it('80×24: one row per host while the hosts fit, with the task counter and per-host state during a slow task', () => {
    const hosts = hostNames(10);
    const s = new Script().emit({ type: 'run_start', playbooks: ['site.yaml'], checkMode: false, diffMode: false }, playOf(hosts, 22));
    s.emit({ type: 'task_start', task: task(1, 'Gathering Facts'), hosts }, ...hosts.map((h): RunEvent => ({ type: 'host_result', task: task(1, 'Gathering Facts'), result: result(h, 'ok') })));
    s.after(2000).emit({ type: 'task_end', task: task(1, 'Gathering Facts') }, { type: 'task_start', task: task(2, 'install packages'), hosts });
    s.after(3000).emit({ type: 'host_result', task: task(2, 'install packages'), result: result('web01', 'ok', { durationMs: 2900 }) });
    s.emit({ type: 'host_result', task: task(2, 'install packages'), result: result('web02', 'changed', { durationMs: 3000 }) });
    s.after(9000).emit({ type: 'host_result', task: task(2, 'install packages'), result: result('web03', 'failed', { durationMs: 12000 }) });
    const f = s.frame(80, 24);
    assert.equal(f.length, 11, f.join('\n'));
    assert.equal(f[0], 'PLAY [fleet] · task 2/22 · install packages · 12s · run 14s');
    assert.match(f[1]!, /^ {2}web01 {2}ok 2\.9s$/);
    assert.match(f[2]!, /^ {2}web02 {2}changed 3\.0s$/);
    assert.match(f[3]!, /^ {2}web03 {2}failed 12s: boom on web03$/);
    for (const h of hosts.slice(3)) assert.ok(f.includes(`  ${h}  running 12s`), `${h} runs for 12s:\n${f.join('\n')}`);
    for (const line of f) assert.ok(line.length <= 79, `no line reaches the last column: ${line}`);
  });

  it('120×10: past the screen height, counts per status with the slowest running and the failed hosts', () => {
    const hosts = hostNames(30);
    const s = new Script().emit(playOf(hosts, 3));
    // the free strategy: hosts start the task at different times, so some have run longer
    for (const h of hosts) s.after(100).emit({ type: 'task_start', task: task(1, 'upgrade'), hosts: [h] });
    for (const h of hosts.slice(10, 25)) s.emit({ type: 'host_result', task: task(1, 'upgrade'), result: result(h, 'ok') });
    s.emit({ type: 'host_result', task: task(1, 'upgrade'), result: result('web26', 'changed') });
    s.emit({ type: 'host_result', task: task(1, 'upgrade'), result: result('web27', 'failed') });
    s.emit({ type: 'host_result', task: task(1, 'upgrade'), result: result('web28', 'unreachable', { result: { msg: 'ssh: connect timed out' } }) });
    s.after(20_000);
    const f = s.frame(120, 10);
    assert.equal(f.length, 9, `the frame keeps the last line free:\n${f.join('\n')}`);
    assert.equal(f[1], '  30 hosts: 12 running · 15 ok · 1 changed · 1 failed · 1 unreachable · 0 skipped');
    // the slowest first: web01 started the task first
    assert.match(f[2]!, /^ {2}running 22s +web01$/);
    assert.match(f[3]!, /^ {2}running 22s +web02$/);
    assert.match(f[5]!, /^ {2}running 22s +web04$/);
    assert.ok(f.some((l) => /^ {2}… \d+ more running$/.test(l)), f.join('\n'));
    assert.ok(f.some((l) => /^ {2}failed +web27 boom on web27$/.test(l)), f.join('\n'));
    assert.ok(f.some((l) => /^ {2}unreachable +web28 ssh: connect timed out$/.test(l)), f.join('\n'));
  });

  it('the counter says when the count is approximate, and grows when more tasks ran than counted', () => {
    const hosts = hostNames(2);
    const s = new Script().emit(playOf(hosts, 2, 'includes'), { type: 'task_start', task: task(1, 'a'), hosts });
    assert.match(s.frame(100, 24)[0]!, /· task 1\/~2 \(approximate: includes\) · a ·/);
    const exact = new Script().emit(playOf(hosts, 1), { type: 'task_start', task: task(1, 'a'), hosts }, { type: 'task_start', task: task(2, 'rescue me'), hosts });
    assert.match(exact.frame(100, 24)[0]!, /· task 2\/~2 \(approximate: more tasks ran than counted\) ·/);
    const handler = new Script().emit(playOf(hosts, 1), { type: 'task_start', task: task(9, 'restart nginx', true), hosts });
    assert.match(handler.frame(100, 24)[0]!, /· handler · restart nginx ·/);
  });

  it('a failed host stays failed on screen while the others go on; the rest wait as "-"', () => {
    const hosts = hostNames(3);
    const s = new Script().emit(playOf(hosts), { type: 'task_start', task: task(1, 'a'), hosts });
    s.emit({ type: 'host_result', task: task(1, 'a'), result: result('web01', 'failed') }, { type: 'host_result', task: task(1, 'a'), result: result('web02', 'ok') });
    s.emit({ type: 'host_result', task: task(1, 'a'), result: result('web03', 'ok') }, { type: 'task_end', task: task(1, 'a') });
    s.emit({ type: 'task_start', task: task(2, 'b'), hosts: ['web02'] });
    const f = s.frame(80, 24);
    assert.match(f[1]!, /web01 {2}failed 0\.8s: boom on web01/);
    assert.match(f[2]!, /web02 {2}running 0s/);
    assert.match(f[3]!, /web03 {2}-$/);
  });
});

describe('live view on a terminal', () => {
  function drive(columns: number, rows: number): { term: FakeTerminal; emit: (...e: RunEvent[]) => void; clock: { t: number }; tick: () => void } {
    const term = new FakeTerminal(columns, rows);
    const clock = { t: 0 };
    const live = liveRenderer({ write: term.write, size: term.size, now: () => clock.t, verbosity: 0, color: true, diff: true, collapseAbove: 20 });
    return { term, emit: (...es) => es.forEach((e) => live.sink(e)), clock, tick: live.tick };
  }

  it('debug output, diffs and failures land above the frame exactly once, the frame is redrawn in place and removed before the recap', () => {
    const { term, emit, clock, tick } = drive(140, 24);
    const hosts = hostNames(4);
    emit({ type: 'run_start', playbooks: ['site.yaml'], checkMode: false, diffMode: true }, playOf(hosts, 3));
    emit({ type: 'task_start', task: task(1, 'say hello'), hosts });
    for (const h of hosts) emit({ type: 'host_result', task: task(1, 'say hello'), result: { host: h, status: 'ok', result: { msg: `hello from ${h}`, changed: false, failed: false }, durationMs: 5 } });
    emit({ type: 'task_end', task: task(1, 'say hello') }, { type: 'task_start', task: task(2, 'write motd'), hosts });
    const diff = [{ before: 'old motd\n', after: 'new motd\n', beforeHeader: '/etc/motd', afterHeader: '/etc/motd' }];
    emit({ type: 'host_result', task: task(2, 'write motd'), result: { ...result('web01', 'changed'), diff } });
    emit({ type: 'warning', host: 'web02', message: 'a deprecated option' });
    emit({ type: 'host_result', task: task(2, 'write motd'), result: result('web02', 'failed') });
    clock.t += 7000;
    tick();
    tick();
    const during = term.screen();
    assert.ok(during.some((l) => /^ {2}web03 {2}running 7s$/.test(l)), during.join('\n'));
    assert.ok(during.some((l) => l.startsWith('PLAY [fleet] · task 2/3 · write motd · 7s')), during.join('\n'));
    emit({ type: 'host_result', task: task(2, 'write motd'), result: { ...result('web03', 'changed'), diff } });
    emit({ type: 'host_result', task: task(2, 'write motd'), result: { ...result('web04', 'changed'), diff: [{ ...diff[0]!, after: 'other motd\n' }] } });
    emit({ type: 'task_end', task: task(2, 'write motd') }, { type: 'play_end', name: 'fleet' });
    const stats = { ok: 2, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
    emit({ type: 'recap', stats: Object.fromEntries(hosts.map((h) => [h, stats])) }, { type: 'playbook_end', exitCode: 2, durationMs: 7100 });

    const text = term.text();
    const once = (re: RegExp): void => assert.equal(text.filter((l) => re.test(l)).length, 1, `${re} once in:\n${text.join('\n')}`);
    for (const h of hosts) once(new RegExp(`"msg": "hello from ${h}"`));
    assert.equal(text.filter((l) => l === '-old motd').length, 2, 'two different diffs');
    once(/^\+new motd$/);
    once(/^\+other motd$/);
    once(/^changed: \[web01, web03\]$/);
    once(/^changed: \[web04\]$/);
    once(/^fatal: \[web02\]: FAILED!/);
    once(/^\[WARNING\]: web02: a deprecated option$/);
    once(/^TASK \[write motd\]/);
    once(/^✓ \[1\/3\] say hello · 4 ok · /);
    once(/^✗ \[2\/3\] write motd · 3 changed · 1 failed · 7\.0s$/);
    assert.ok(!text.some((l) => /running|PLAY \[fleet\] ·/.test(l)), `the frame is gone at the end:\n${text.join('\n')}`);
    const beforeRecap = text.slice(0, text.findIndex((l) => l.startsWith('PLAY RECAP')));
    assert.equal(beforeRecap.filter((l) => /changed/.test(l) && /web01/.test(l)).length, 1, `"changed" is printed once for web01:\n${text.join("\n")}`);
    const recap = text.findIndex((l) => l.startsWith('PLAY RECAP'));
    assert.ok(recap > text.findIndex((l) => l.startsWith('✗ [2/3]')), 'the recap comes last');
    assert.match(text.filter(Boolean).pop()!, /^web04 +: ok=2/);
  });

  it('free strategy: one summary per task once no host is on it, and a task\'s banner again when another task spoke in between', () => {
    const { term, emit } = drive(100, 24);
    const debugOk = (h: string, n: number): RunEvent => ({ type: 'host_result', task: task(n, `step ${n}`), result: { host: h, status: 'ok', result: { msg: `step ${n} on ${h}`, changed: false }, durationMs: 1 } });
    const warn = (h: string): RunEvent => ({ type: 'warning', host: h, message: `a warning on ${h}` });
    emit(playOf(['fast', 'slow'], 2), { type: 'task_start', task: task(1, 'step 1'), hosts: ['fast'] }, { type: 'task_start', task: task(1, 'step 1'), hosts: ['slow'] });
    emit(debugOk('fast', 1), { type: 'task_end', task: task(1, 'step 1') }, { type: 'task_start', task: task(2, 'step 2'), hosts: ['fast'] });
    emit(warn('fast'), warn('slow'), warn('fast'));
    emit(debugOk('fast', 2), { type: 'task_end', task: task(2, 'step 2') });
    emit(debugOk('slow', 1), { type: 'task_end', task: task(1, 'step 1') });
    const text = term.text().filter((l) => !/^PLAY \[fleet\] ·|^ {2}(fast|slow) /.test(l));
    const summaries = text.filter((l) => /^✓ /.test(l));
    assert.deepEqual(summaries.map((l) => l.replace(/ · [\d.]+s$/, '')), ['✓ [2/2] step 2 · 1 ok', '✓ [1/2] step 1 · 2 ok'], text.join('\n'));
    assert.deepEqual(text.filter((l) => l.startsWith('TASK [')).map((l) => l.replace(/ \*+$/, '')), ['TASK [step 2]', 'TASK [step 1]', 'TASK [step 2]', 'TASK [step 1]'], text.join('\n'));
  });

  it('with frameMs a burst of results is one redraw, text above included, in order', async () => {
    const term = new FakeTerminal(100, 30);
    const writes: string[] = [];
    const live = liveRenderer({ write: (s) => {
        writes.push(s);
        term.write(s);
      }, size: term.size, now: () => 0, verbosity: 0, color: false, diff: false, collapseAbove: 20, frameMs: 60_000 });
    const hosts = hostNames(20);
    live.sink(playOf(hosts, 1));
    live.sink({ type: 'task_start', task: task(1, 'say'), hosts });
    for (const h of hosts) live.sink({ type: 'host_result', task: task(1, 'say'), result: { host: h, status: 'ok', result: { msg: `hi ${h}`, changed: false }, durationMs: 1 } });
    live.sink({ type: 'task_end', task: task(1, 'say') });
    assert.equal(writes.length, 0, 'nothing drawn before the frame is due');
    await live.drained();
    assert.equal(writes.length, 1, 'one write for the whole burst');
    const text = term.text();
    assert.deepEqual(text.filter((l) => l.includes('"msg"')), hosts.map((h) => `    "msg": "hi ${h}"`));
    assert.equal(text.filter((l) => /^ {2}web\d+ {2}ok /.test(l)).length, 20, text.join('\n'));
  });

  it('the same message from many hosts is printed once with all of them, when the task ends', () => {
    const { term, emit } = drive(100, 24);
    const hosts = hostNames(4);
    const says = (n: number, h: string, msg: string): RunEvent => ({ type: 'host_result', task: task(n, 'version'), result: { host: h, status: 'ok', result: { msg, changed: false }, durationMs: 1 } });
    emit(playOf(hosts, 2), { type: 'task_start', task: task(1, 'version'), hosts });
    // results come in any order; the hosts are named in the play's order
    emit(says(1, 'web03', 'nginx 1.22'), says(1, 'web04', 'nginx 1.18'), says(1, 'web01', 'nginx 1.22'), says(1, 'web02', 'nginx 1.22'));
    assert.ok(!term.text().some((l) => l.includes('nginx 1.22')), 'kept until the task ends');
    emit({ type: 'task_end', task: task(1, 'version') }, { type: 'task_start', task: task(2, 'version'), hosts }, ...hosts.map((h) => says(2, h, 'same everywhere')), { type: 'task_end', task: task(2, 'version') });
    const text = term.text();
    const once = (line: string): void => assert.equal(text.filter((l) => l === line).length, 1, `${line}\n${text.join('\n')}`);
    once('ok: [web01, web02, web03] => {');
    once('    "msg": "nginx 1.22"');
    once('ok: [web04] => {');
    once('ok: [all 4 hosts] => {');
    once('    "msg": "same everywhere"');
  });

  it('a terminal narrower than the lines: nothing wraps, so the frame is redrawn over itself', () => {
    const { term, emit, clock, tick } = drive(30, 24);
    const hosts = ['a-very-long-host-name-that-does-not-fit.example.com', 'short'];
    emit(playOf(hosts, 1), { type: 'task_start', task: task(1, 'a task with a long name as well'), hosts });
    for (let i = 0; i < 5; i++) {
      clock.t += 1000;
      tick();
    }
    const lines = term.text();
    const frame = lines.slice(lines.findIndex((l) => l.startsWith('PLAY [fleet] ·')));
    assert.equal(frame.length, 3, `a frame of three rows, drawn over itself:\n${lines.join('\n')}`);
    assert.ok(frame.every((l) => l.length <= 29), frame.join('\n'));
    assert.match(frame[2]!, /^ {2}short +running 5s$/);
  });
});
