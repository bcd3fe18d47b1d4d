import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import pause from '../../../src/modules/commands/pause.js';
import waitFor from '../../../src/modules/commands/wait_for.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';
import { resultOf, runModule } from './run.js';

describe('wait_for module', () => {
  let dir: string;
  let server: net.Server;
  let port: number;
  before(async () => {
    dir = await makeTempDir('kelpie-waitfor-');
    server = net.createServer((s) => {
      // Probes hang up at once; a reset is expected, not an error.
      s.on('error', () => {});
      s.end('HELLO kelpie\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is ok at once when a listening port is open', async () => {
    const o = await runModule(waitFor, { port, timeout: 5 }, makeLocalContext());
    assert.equal(o.plan.kind, 'ok');
    const { elapsed, ...rest } = resultOf(o);
    assert.ok(Number.isInteger(elapsed), 'elapsed is whole seconds');
    assert.deepEqual(rest, { state: 'started', port, search_regex: null, match_groups: [], match_groupdict: {}, path: null });
  });

  it('is skipped in check mode, as Ansible skips a module without check mode support', async () => {
    const o = await runModule(waitFor, { port, timeout: 5 }, makeLocalContext(), { checkMode: true });
    assert.deepEqual(o.plan, { kind: 'skip', msg: 'remote module (wait_for) does not support check mode' });
  });

  it('matches search_regex against what the port sends', async () => {
    const o = await runModule(waitFor, { port, search_regex: 'HEL+O', timeout: 5 }, makeLocalContext());
    assert.equal(o.plan.kind, 'ok');
  });

  it('is ok for state=stopped on a closed port and fails for started after the timeout', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const stopped = await runModule(waitFor, { port: freePort, state: 'stopped', timeout: 5 }, makeLocalContext());
    assert.equal(stopped.plan.kind, 'ok');
    const started = await runModule(waitFor, { port: freePort, timeout: 1, sleep: 1 }, makeLocalContext());
    assert.equal(started.plan.kind, 'fail');
    assert.equal((started.plan as { msg: string }).msg, `Timeout when waiting for 127.0.0.1:${freePort}`);
  });

  it('waits for a file to appear, with content matching search_regex (across lines, as Python re.MULTILINE)', async () => {
    const file = path.join(dir, 'ready');
    setTimeout(() => void fs.writeFile(file, 'status: READY\n'), 300);
    const o = await runModule(waitFor, { path: file, search_regex: '(?P<word>READ\\w)\\n(x)?', timeout: 10, sleep: 1 }, makeLocalContext());
    assert.equal(o.plan.kind, 'ok');
    // Python's groups: None for a group that took no part; the file's path info added
    assert.deepEqual([resultOf(o).match_groups, resultOf(o).match_groupdict, resultOf(o).state, resultOf(o).size], [['READY', null], { word: 'READY' }, 'file', 14]);
  });

  it('fails with the custom msg when a file never goes absent', async () => {
    const file = path.join(dir, 'stays');
    await fs.writeFile(file, 'x');
    const o = await runModule(waitFor, { path: file, state: 'absent', timeout: 1, msg: 'still there' }, makeLocalContext());
    assert.equal(o.plan.kind, 'fail');
    assert.equal((o.plan as { msg: string }).msg, 'still there');
  });

  it('fails port and path together, and state=stopped on a path, in Ansible\'s words', async () => {
    const both = await runModule(waitFor, { port: 1, path: dir, timeout: 1 }, makeLocalContext());
    assert.deepEqual(both.plan, { kind: 'fail', msg: 'port and path parameter can not both be passed to wait_for', result: { elapsed: 0 } });
    const stopped = await runModule(waitFor, { path: dir, state: 'stopped', timeout: 1 }, makeLocalContext());
    assert.deepEqual(stopped.plan, { kind: 'fail', msg: 'state=stopped should only be used for checking a port in the wait_for module', result: { elapsed: 0 } });
  });
});

describe('pause module', () => {
  it('runs on the controller and does not wait for a prompt without a TTY', async () => {
    assert.equal(pause.controllerOnly, true);
    const warnings: string[] = [];
    const ctx = { ...makeLocalContext(), log: { debug: () => {}, warn: (m: string) => warnings.push(m) } };
    const o = await runModule(pause, { prompt: 'Press enter' }, ctx);
    assert.equal(o.plan.kind, 'ok');
    assert.equal(resultOf(o).user_input, '');
    assert.equal(warnings.length, 1);
  });

  it('sleeps for seconds and reports it', async () => {
    const o = await runModule(pause, { seconds: 1 }, makeLocalContext());
    // the measured pause, as Ansible words it (a Python float rounded to hundredths)
    assert.match(String(resultOf(o).stdout), /^Paused for 1\.\d\d? seconds$/);
    assert.deepEqual([resultOf(o).rc, resultOf(o).stderr, resultOf(o).delta], [0, '', 1]);
    assert.equal(resultOf(o).changed, false);
  });
});
