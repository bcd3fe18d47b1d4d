import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import { yum } from '../../../src/modules/packages/yum.js';
import pkg from '../../../src/modules/packages/package.js';
import systemd from '../../../src/modules/system/systemd.js';
import { STANDIN_SCRIPT } from '../../../src/lab/standins/index.js';
import { localSysContext, runLocal } from '../../helpers/localSysContext.js';

function args<S extends Parameters<typeof validateArgs>[0]>(spec: S, input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(spec, input);
  assert.deepEqual(problems, []);
  return a;
}

/**
 * The modules against the stand-ins (src/lab/standins) in a scratch dir on this machine:
 * state, calls.log and the init scripts yum drops all live under the scratch dir.
 */
describe('yum/dnf, package and systemd against the stand-ins (scratch dir)', function () {
  let dir = '';
  const saved = { ...process.env };
  before(async function () {
    if ((await runLocal('command -v python3')).rc !== 0) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'kelpie-standin-'));
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'root/lib/systemd/system'), { recursive: true });
    await writeFile(join(dir, 'root/lib/systemd/system/postfix.service'), '[Service]\nExecStart=/bin/true\n');
    for (const n of ['rpm', 'yum', 'dnf', 'chkconfig', 'systemctl']) await symlink(STANDIN_SCRIPT, join(dir, 'bin', n));
    process.env['PATH'] = `${join(dir, 'bin')}:${process.env['PATH']}`;
    process.env['KELPIE_STANDIN_DIR'] = join(dir, 'state');
    process.env['KELPIE_STANDIN_ROOT'] = join(dir, 'root');
  });
  after(async () => {
    process.env = saved;
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  // Only calls that may change something are logged; none at all reads as [].
  const calls = async (): Promise<string[][]> =>
    (await readFile(join(dir, 'state/calls.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);

  it('check mode asks only rpm, the run installs, the second run is ok', async () => {
    const a = args(yum.args, { name: ['spamass-milter'], state: 'present' });
    const check = await yum.plan(localSysContext(), a);
    assert.ok(check.kind === 'change');
    assert.deepEqual(check.changes, ['install spamass-milter (dependencies: unknown until yum resolves them)']);
    assert.deepEqual(await calls(), [], 'check mode only queried: nothing logged, nothing saved');
    const ctx = localSysContext({ allowWrites: true });
    const applied = await yum.apply!(ctx, a, check.data!, check);
    assert.match(String(applied.result?.['stdout']), /Complete!/);
    assert.deepEqual((await calls()).at(-1), ['yum', '-y', 'install', 'spamass-milter']);
    assert.equal((await yum.plan(ctx, a)).kind, 'ok');
    const deps = await runLocal("rpm -qa --qf '%{NAME}\\n'");
    assert.deepEqual(deps.stdout.trim().split('\n'), ['sendmail-milter', 'spamass-milter', 'spamassassin']);
  });
  it('package picks yum from pkg_mgr and removes', async () => {
    const ctx = localSysContext({ allowWrites: true, facts: { pkg_mgr: 'yum', service_mgr: 'sysvinit', os_family: 'RedHat' } });
    const a = args(pkg.args, { name: 'spamassassin', state: 'absent' });
    const plan = await pkg.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    await pkg.apply!(ctx, a, plan.data!, plan);
    assert.equal((await pkg.plan(ctx, a)).kind, 'ok');
  });
  it('systemd: enable + start through the systemctl stand-in, then ok', async () => {
    const ctx = localSysContext({ allowWrites: true });
    const a = args(systemd.args, { name: 'postfix', state: 'started', enabled: true });
    const plan = await systemd.plan(ctx, a);
    assert.ok(plan.kind === 'change', JSON.stringify(plan));
    assert.deepEqual(plan.changes, ['enable postfix', 'start postfix']);
    await systemd.apply!(ctx, a, plan.data!, plan);
    assert.equal((await systemd.plan(ctx, a)).kind, 'ok');
    // a service that is not there is the plan's failure; in check mode after an install the
    // executor, not the module, turns it into 'cannot verify' (test/executor/check-mode-enforced.test.ts)
    const missing = await systemd.plan(localSysContext(), args(systemd.args, { name: 'spamass-milter', state: 'started' }));
    assert.equal(missing.kind, 'fail');
  });
});
