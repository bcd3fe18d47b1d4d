import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import service from '../../../src/modules/system/service.js';
import systemd from '../../../src/modules/system/systemd.js';
import { planInMode } from '../../../src/executor/modePlan.js';
import { parseChkconfig, parseRcLinks } from '../../../src/modules/system/serviceBackends.js';
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

describe('service backends parse real listings', () => {
  it('reads rc links for exactly the named service', () => {
    assert.equal(parseRcLinks(RC_LINKS_ENABLED + '/etc/rc2.d/S01sshd\n', 'ssh').length, 4);
    assert.ok(parseRcLinks(RC_LINKS_DISABLED, 'spamass-milter').every((l) => !l.start));
  });
  it('reads chkconfig --list', () => {
    assert.deepEqual(parseChkconfig(CHK_OFF, 'spamass-milter'), { registered: true, enabled: false });
    assert.deepEqual(parseChkconfig('spamass-milter 0:off 1:off 2:on 3:on 4:on 5:on 6:off', 'spamass-milter'), { registered: true, enabled: true });
    assert.deepEqual(parseChkconfig('', 'x'), { registered: false, enabled: false });
  });
});

describe('service plan', () => {
  it('Debian SysV: starts via /etc/init.d and enables via update-rc.d enable when K links exist', async () => {
    const replies: ScriptedReply[] = [
      { match: /^test -x \/etc\/init.d\/spamass-milter$/ },
      { match: /init.d\/spamass-milter status$/, rc: 3, stdout: '[FAIL] spamass-milter is not running ... failed!\n' },
      { match: /^ls -1d/, stdout: RC_LINKS_DISABLED },
      { match: /^\/etc\/init.d\/spamass-milter start$/, stdout: 'Starting Sendmail milter plugin for SpamAssassin: spamass-milter.\n' },
      { match: /^update-rc.d spamass-milter enable$/ },
    ];
    const ctx = scriptedContext({ facts: DEBIAN, replies });
    const a = args(service.args, { name: 'spamass-milter', state: 'started', enabled: true });
    const plan = await service.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['enable spamass-milter', 'start spamass-milter']);
    assert.equal(ctx.probes.length, 1, 'one round trip');
    const applied = await service.apply!(ctx, a, plan.data!, plan);
    assert.equal(applied.changed, true);
    assert.deepEqual(ctx.execs, ['update-rc.d spamass-milter enable', '/etc/init.d/spamass-milter start']);
  });
  it('Debian SysV: creates links with update-rc.d defaults when there are none (no links = disabled)', async () => {
    const ctx = scriptedContext({
      facts: DEBIAN,
      replies: [{ match: /^test -x/ }, { match: /status$/, rc: 0 }, { match: /^ls -1d/, rc: 2 }],
    });
    assert.equal((await service.plan(ctx, args(service.args, { name: 'spamassassin', enabled: false }))).kind, 'ok');
    const plan = await service.plan(ctx, args(service.args, { name: 'spamassassin', enabled: true }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.steps[0]?.cmd, 'update-rc.d spamassassin defaults');
  });
  it('Red Hat SysV: chkconfig on + service start; ok when already so', async () => {
    const replies: ScriptedReply[] = [
      { match: /^test -x \/etc\/rc.d\/init.d/ },
      { match: /^service spamass-milter status$/, rc: 3, stdout: 'spamass-milter is stopped\n' },
      { match: /^chkconfig --list/, stdout: CHK_OFF },
    ];
    const plan = await service.plan(scriptedContext({ facts: REDHAT, replies }), args(service.args, { name: 'spamass-milter', state: 'started', enabled: 'yes' }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.data?.steps.map((s) => s.cmd), ['chkconfig spamass-milter on', 'service spamass-milter start']);
    const ok = await service.plan(
      scriptedContext({ facts: REDHAT, replies: [replies[0]!, { match: /status$/, rc: 0 }, { match: /^chkconfig/, stdout: CHK_OFF.replace(/([2345]):off/g, '$1:on') }] }),
      args(service.args, { name: 'spamass-milter', state: 'started', enabled: true }),
    );
    assert.equal(ok.kind, 'ok');
  });
  it('restarted always changes', async () => {
    const replies: ScriptedReply[] = [{ match: /^test -x/ }, { match: /status$/, rc: 0 }, { match: /^ls -1d/, stdout: RC_LINKS_ENABLED }];
    const plan = await service.plan(scriptedContext({ facts: DEBIAN, replies }), args(service.args, { name: 'ssh', state: 'restarted' }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['restart ssh']);
  });
  it("a missing service is a failure in check mode too (the executor, not the module, makes it 'cannot verify' after earlier changes)", async () => {
    const replies: ScriptedReply[] = [{ match: /^test -x/, rc: 1 }, { match: /status$/, rc: 1 }, { match: /^ls -1d/, rc: 2 }];
    const a = args(service.args, { name: 'spamass-milter', state: 'started' });
    for (const checkMode of [true, false]) {
      const plan = await planInMode(service, scriptedContext({ facts: DEBIAN, replies }), a, checkMode);
      assert.equal(plan.kind, 'fail');
      assert.match(plan.kind === 'fail' ? plan.msg : '', /^Could not find the requested service spamass-milter/);
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
    assert.equal(plan.result?.['enabled'], true);
  });
});
