import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import service from '../../../src/modules/system/service.js';
import systemd from '../../../src/modules/system/systemd.js';
import { planInMode } from '../../../src/executor/modePlan.js';
import { readStatus } from '../../../src/modules/system/sysvinitPlan.js';
import { scriptedContext, type ScriptedReply } from '../../helpers/scriptedSysContext.js';
import { localSysContext, runLocal } from '../../helpers/localSysContext.js';

const DEBIAN = { service_mgr: 'sysvinit', os_family: 'Debian', pkg_mgr: 'apt' };
const REDHAT = { service_mgr: 'sysvinit', os_family: 'RedHat', pkg_mgr: 'yum' };
const SYSTEMD = { service_mgr: 'systemd', os_family: 'Debian', pkg_mgr: 'apt' };
// Captured on Debian 12 (`ls -1d /etc/rc?.d/[SK][0-9][0-9]ssh`) and CentOS 5 (`chkconfig --list spamass-milter`).
const RC_LINKS_ENABLED = '/etc/rc2.d/S01ssh\n/etc/rc3.d/S01ssh\n/etc/rc4.d/S01ssh\n/etc/rc5.d/S01ssh\n';
const RC_LINKS_DISABLED = '/etc/rc0.d/K01spamass-milter\n/etc/rc1.d/K01spamass-milter\n/etc/rc2.d/K01spamass-milter\n/etc/rc6.d/K01spamass-milter\n';
const CHK_OFF = 'spamass-milter \t0:off\t1:off\t2:off\t3:off\t4:off\t5:off\t6:off\n';

function args<S extends Parameters<typeof validateArgs>[0]>(spec: S, input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(spec, input);
  assert.deepEqual(problems, []);
  return a;
}

describe('SysV init (Ansible sysvinit module semantics)', () => {
  it("reads `service NAME status` as Ansible does: one-line words first, then the exit status", () => {
    assert.equal(readStatus('rsyslog', 0, '[ ok ] rsyslogd is running.\n'), true);
    assert.equal(readStatus('rsyslog', 3, '[FAIL] rsyslogd is not running ... failed!\n'), false);
    assert.equal(readStatus('spamd', 0, 'spamd is stopped\n'), false, 'the words win over rc 0');
    assert.equal(readStatus('x', 3, 'line one\nline two\nline three\n'), false, 'several lines: a "not running" exit status');
    assert.equal(readStatus('x', 0, 'line one\nline two\nline three\n'), true);
    assert.equal(readStatus('x', 5, 'line one\nline two\nline three\n'), undefined, 'undecided: Ansible looks in ps');
  });
  it('Debian: starts via the init script and enables with update-rc.d defaults; the result has each command\'s output', async () => {
    const replies: ScriptedReply[] = [
      { match: /^test -e \/etc\/init.d\/spamass-milter$/ },
      { match: /service spamass-milter status; else/, rc: 3, stdout: '[FAIL] spamass-milter is not running ... failed!\n' },
      { match: /ls -1d \/etc\/rc\?.d\/S\?\?spamass-milter/, stdout: RC_LINKS_DISABLED },
      { match: /^\/etc\/init.d\/spamass-milter start$/, stdout: 'Starting Sendmail milter plugin for SpamAssassin: spamass-milter.\n' },
      { match: /^update-rc.d spamass-milter defaults$/ },
    ];
    const ctx = scriptedContext({ facts: DEBIAN, replies });
    const a = args(service.args, { name: 'spamass-milter', state: 'started', enabled: true });
    const plan = await service.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['enable spamass-milter', 'start spamass-milter']);
    assert.equal(ctx.probes.length, 1, 'one round trip');
    const applied = await service.apply!(ctx, a, plan.data!, plan);
    assert.equal(applied.changed, true);
    assert.deepEqual(ctx.execs, ['update-rc.d spamass-milter defaults', '/etc/init.d/spamass-milter start']);
    assert.deepEqual(applied.result, {
      name: 'spamass-milter',
      status: {
        enabled: { changed: true, rc: 0, stdout: '', stderr: '' },
        started: { changed: true, rc: 0, stdout: 'Starting Sendmail milter plugin for SpamAssassin: spamass-milter.\n', stderr: '' },
      },
    });
  });
  it("runlevel: a SysV host fails as Ansible's sysvinit module refuses it, before looking at anything", async () => {
    const sysv = scriptedContext({ facts: DEBIAN, replies: [] });
    const plan = await service.plan(sysv, args(service.args, { name: 'rsyslog', state: 'started', runlevel: '3' }));
    assert.deepEqual(plan, {
      kind: 'fail',
      msg: 'Unsupported parameters for (ansible.legacy.sysvinit) module: runlevel. Supported parameters include: arguments, daemonize, enabled, name, pattern, runlevels, sleep, state (args, service).',
    });
    assert.deepEqual(sysv.probes, []);
  });
  it('Debian: an S link in any runlevel is enabled; a task without state reports its part under null', async () => {
    const ctx = scriptedContext({ facts: DEBIAN, replies: [{ match: /^test -e/ }, { match: /status; else/, rc: 0 }, { match: /ls -1d/, stdout: RC_LINKS_ENABLED }] });
    const plan = await service.plan(ctx, args(service.args, { name: 'ssh', enabled: true }));
    assert.deepEqual(plan, { kind: 'ok', result: { name: 'ssh', status: { enabled: { changed: false, rc: null, stdout: null, stderr: null }, null: { changed: false, rc: null, stdout: null, stderr: null } } } });
  });
  it('Red Hat: chkconfig on, the script started; ok when already so', async () => {
    const replies: ScriptedReply[] = [
      { match: /^test -e \/etc\/init.d\/spamass-milter$/ },
      { match: /service spamass-milter status; else/, rc: 3, stdout: 'spamass-milter is stopped\n' },
      { match: /^chkconfig --list/, stdout: CHK_OFF },
    ];
    const plan = await service.plan(scriptedContext({ facts: REDHAT, replies }), args(service.args, { name: 'spamass-milter', state: 'started', enabled: 'yes' }));
    assert.ok(plan.kind === 'change' && plan.data?.backend === 'sysv');
    assert.deepEqual([plan.data.enable, ...plan.data.stateCmds], ['chkconfig spamass-milter on', '/etc/init.d/spamass-milter start']);
    const ok = await service.plan(
      scriptedContext({ facts: REDHAT, replies: [replies[0]!, { match: /status; else/, rc: 0 }, { match: /^chkconfig/, stdout: CHK_OFF.replace(/([2345]):off/g, '$1:on') }] }),
      args(service.args, { name: 'spamass-milter', state: 'started', enabled: true }),
    );
    assert.equal(ok.kind, 'ok');
  });
  it('restarted always changes (stop, then start); reloaded reloads even a stopped service', async () => {
    const replies: ScriptedReply[] = [{ match: /^test -e/ }, { match: /status; else/, rc: 3 }, { match: /ls -1d/, stdout: RC_LINKS_ENABLED }];
    const restart = await service.plan(scriptedContext({ facts: DEBIAN, replies }), args(service.args, { name: 'ssh', state: 'restarted' }));
    assert.ok(restart.kind === 'change' && restart.data?.backend === 'sysv');
    assert.deepEqual(restart.data.stateCmds, ['/etc/init.d/ssh stop', '/etc/init.d/ssh start']);
    const reload = await service.plan(scriptedContext({ facts: DEBIAN, replies }), args(service.args, { name: 'ssh', state: 'reloaded' }));
    assert.ok(reload.kind === 'change' && reload.data?.backend === 'sysv');
    assert.deepEqual(reload.data.stateCmds, ['/etc/init.d/ssh reload']);
  });
  it("a missing service fails in Ansible's words, in check mode too (the executor, not the module, makes it 'cannot verify' after earlier changes)", async () => {
    const replies: ScriptedReply[] = [{ match: /^test -e/, rc: 1 }, { match: /status; else/, rc: 1 }, { match: /ls -1d/, rc: 2 }];
    const a = args(service.args, { name: 'spamass-milter', state: 'started' });
    for (const checkMode of [true, false]) {
      const plan = await planInMode(service, scriptedContext({ facts: DEBIAN, replies }), a, checkMode);
      assert.deepEqual(plan, { kind: 'fail', msg: 'Could not find the requested service spamass-milter: ' });
    }
  });
  it('systemd: reads systemctl show, enables and masks; daemon-reload alone is not a change', async () => {
    const replies: ScriptedReply[] = [
      { match: /^systemctl show postfix/, stdout: 'Id=postfix.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=disabled\nMainPID=0\n' },
      { match: /^systemctl is-enabled postfix/, rc: 1, stdout: 'disabled\n' },
      { match: /^systemctl (daemon-reload|enable postfix|start postfix)$/ },
    ];
    const ctx = scriptedContext({ facts: SYSTEMD, replies });
    const a = args(systemd.args, { name: 'postfix', state: 'started', enabled: true, daemon_reload: true });
    const plan = await systemd.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['daemon-reload', 'enable postfix', 'start postfix']);
    assert.equal((plan.result?.['status'] as Record<string, string>)['ActiveState'], 'inactive');
    await systemd.apply!(ctx, a, plan.data!, plan);
    assert.deepEqual(ctx.execs, ['systemctl daemon-reload', 'systemctl enable postfix', 'systemctl start postfix']);
    const only = await systemd.plan(scriptedContext({ replies }), args(systemd.args, { daemon_reload: true }));
    assert.ok(only.kind === 'change');
    assert.equal((await systemd.apply!(scriptedContext({ replies }), args(systemd.args, { daemon_reload: true }), only.data!, only)).changed, false);
    // check mode runs nothing and says so (Ansible's systemd module: ok, not a change)
    const checked = await planInMode(systemd, scriptedContext({ replies }), args(systemd.args, { daemon_reload: true }), true);
    assert.deepEqual(checked, { kind: 'ok', msg: 'daemon-reload (not run in check mode)' });
  });
});

describe('service plan on this machine (SysV ssh script, check mode)', function () {
  before(async function () {
    if ((await runLocal('test -x /etc/init.d/ssh && ls /etc/rc2.d/S??ssh')).rc !== 0) this.skip();
  });
  it('sees ssh enabled through its rc links, and wants nothing for enabled: yes', async () => {
    const plan = await service.plan(localSysContext({ facts: DEBIAN }), args(service.args, { name: 'ssh', enabled: true }));
    assert.equal(plan.kind, 'ok');
    assert.equal((plan.result?.['status'] as Record<string, { changed: boolean }>)['enabled']?.changed, false);
  });
});
