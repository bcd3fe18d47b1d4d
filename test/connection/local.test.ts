import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../src/connection/local.js';
import { CommandTimeoutError } from '../../src/errors.js';
import { sh, shellRaw } from '../../src/shell/quote.js';

describe('LocalConnection', () => {
  const c = new LocalConnection({ host: 'localhost', commandTimeoutMs: 10000 });
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kelpie-local-'))));
  after(async () => {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('frames stdout, stderr and exit status exactly', async () => {
    assert.deepEqual(await c.exec(shellRaw('printf "a\\n\\n"; printf e >&2; exit 4')), { rc: 4, stdout: 'a\n\n', stderr: 'e' });
  });

  it('feeds stdin data, else EOF, and applies env and cwd', async () => {
    assert.equal((await c.exec(shellRaw('cat'), { stdin: 'no newline' })).stdout, 'no newline');
    assert.equal((await c.exec(shellRaw('cat; echo done'))).stdout, 'done\n');
    const r = await c.exec(shellRaw('pwd; echo "$X"'), { cwd: dir, env: { X: 'a b' } });
    assert.equal(r.stdout, `${dir}\na b\n`);
  });

  it('kills a timed-out command without killing the controller or the session', async () => {
    await assert.rejects(c.exec(shellRaw('sleep 60'), { timeoutMs: 300 }), CommandTimeoutError);
    assert.equal((await c.exec(shellRaw('echo alive'))).stdout, 'alive\n');
  });

  it('runs a probe without the isolating subshell: same framing, exit status, env and cwd, and nothing leaks into the session', async () => {
    const probe = { probe: true } as const;
    assert.deepEqual(await c.exec(shellRaw('printf "a\\n\\n"; printf e >&2; exit 4'), probe), { rc: 4, stdout: 'a\n\n', stderr: 'e' });
    assert.deepEqual(await c.exec(shellRaw('test -e /nonexistent-kelpie'), probe), { rc: 1, stdout: '', stderr: '' });
    const r = await c.exec(shellRaw('pwd; echo "$X"; leaked=yes; cd /'), { ...probe, cwd: dir, env: { X: 'a b' } });
    assert.equal(r.stdout, `${dir}\na b\n`);
    assert.equal((await c.exec(shellRaw('cat; echo "[$leaked]"; pwd'), probe)).stdout, `[]\n${process.cwd()}\n`, 'stdin is /dev/null, no variable or cd survives');
    // one process less than a command: the probe runs in the session's background group itself
    // (the shell running it is a child of the session shell, $$), a command in a subshell of it
    const parentAndSession = async (o: { probe?: boolean }) => (await c.exec(shellRaw('read -r s </proc/self/stat; set -- ${s##*) }; echo "$2 $$"'), o)).stdout.trim().split(' ');
    const [probeParent, probeSession] = await parentAndSession(probe);
    assert.equal(probeParent, probeSession);
    const [cmdParent, cmdSession] = await parentAndSession({});
    assert.notEqual(cmdParent, cmdSession);
    await assert.rejects(c.exec(shellRaw('sleep 60'), { ...probe, timeoutMs: 300 }), CommandTimeoutError);
    assert.equal((await c.exec(shellRaw('echo alive'), probe)).stdout, 'alive\n');
  });

  it('a probe that sets its own EXIT trap or execs still ends with its status (it keeps the subshell)', async () => {
    const probe = { probe: true, timeoutMs: 10_000 } as const;
    // selinux's dependency probe cleans its temp directory with an EXIT trap
    const trapped = await c.exec(shellRaw(`d=$(mktemp -d); trap 'rm -rf "$d"; echo cleaned' EXIT; echo in; exit 3`), probe);
    assert.deepEqual(trapped, { rc: 3, stdout: 'in\ncleaned\n', stderr: '' });
    assert.deepEqual(await c.exec(shellRaw('exec sh -c "echo execd; exit 5"'), probe), { rc: 5, stdout: 'execd\n', stderr: '' });
    assert.equal((await c.exec(shellRaw('echo alive'), probe)).stdout, 'alive\n');
  });

  it('reads and writes files with a mode, null for a missing file', async () => {
    const p = join(dir, 'f');
    const data = randomBytes(1000);
    await c.writeFile(p, data, 0o600);
    assert.ok(data.equals((await c.readFile(p))!));
    assert.equal(statSync(p).mode & 0o777, 0o600);
    assert.equal(await c.readFile(join(dir, 'missing')), null);
  });

  it('runs concurrent commands in parallel sessions', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exec(sh`echo ${i}`)));
    rs.forEach((r, i) => assert.equal(r.stdout, `${i}\n`));
  });
});
