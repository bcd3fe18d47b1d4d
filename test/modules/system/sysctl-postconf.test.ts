import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import sysctl, { editSysctlFile, fileValue, normaliseValue, unreadAtBoot } from '../../../src/modules/system/sysctl.js';
import postconf, { parseMasterLine } from '../../../src/modules/system/postconf.js';
import { scriptedContext } from '../../helpers/scriptedSysContext.js';
import { localSysContext, runLocal } from '../../helpers/localSysContext.js';

function args<S extends Parameters<typeof validateArgs>[0]>(spec: S, input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(spec, input);
  assert.deepEqual(problems, []);
  return a;
}

const CONF = '# /etc/sysctl.conf\n#net.ipv4.ip_forward=1\nkernel.printk = 3 4 1 3\nnet.ipv4.ip_forward = 0\nnet.ipv4.ip_forward=0\n';

describe('sysctl', () => {
  it('edits the first occurrence, drops duplicates, keeps comments; appends when missing', () => {
    assert.equal(editSysctlFile(CONF, 'net.ipv4.ip_forward', '1'), '# /etc/sysctl.conf\n#net.ipv4.ip_forward=1\nkernel.printk = 3 4 1 3\nnet.ipv4.ip_forward=1\n');
    assert.equal(editSysctlFile('', 'vm.swappiness', '10'), 'vm.swappiness=10\n');
    assert.equal(editSysctlFile(CONF, 'net.ipv4.ip_forward', undefined), '# /etc/sysctl.conf\n#net.ipv4.ip_forward=1\nkernel.printk = 3 4 1 3\n');
    assert.equal(fileValue(CONF, 'kernel.printk'), '3 4 1 3');
    assert.equal(normaliseValue('4\t4\t1\t7\n'), '4 4 1 7');
  });
  it('plans file + kernel + reload, and is ok when both agree (tabs from the kernel included)', async () => {
    const replies = [{ match: /^cat \/etc\/sysctl.conf$/, stdout: CONF }, { match: /^sysctl -n kernel.printk$/, stdout: '4\t4\t1\t7\n' }, { match: /^sysctl (-w|-p)/ }];
    const ctx = scriptedContext({ replies });
    const a = args(sysctl.args, { name: 'kernel.printk', value: '4 4 1 7', sysctl_set: true });
    const plan = await sysctl.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['set kernel.printk in /etc/sysctl.conf', 'reload /etc/sysctl.conf']);
    await sysctl.apply!(ctx, a, plan.data!, plan);
    assert.deepEqual(ctx.execs, ['sysctl -p /etc/sysctl.conf']);
    assert.match(ctx.written['/etc/sysctl.conf']!, /^kernel.printk=4 4 1 7$/m);
    const ok = await sysctl.plan(scriptedContext({ replies: [{ match: /^cat/, stdout: 'kernel.printk=4 4 1 7\n' }, replies[1]!] }), a);
    assert.equal(ok.kind, 'ok');
  });
  it('refuses a sysctl.d file on Red Hat 4/5, whose boot applies /etc/sysctl.conf only (the setting would not survive a reboot)', async () => {
    const centos5 = { ansible_os_family: 'RedHat', ansible_distribution: 'CentOS', ansible_distribution_major_version: '5' };
    const a = args(sysctl.args, { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: '/etc/sysctl.d/60-ipvs.conf' });
    const plan = await sysctl.plan(scriptedContext({ replies: [], facts: centos5 }), a);
    assert.ok(plan.kind === 'fail');
    assert.match(plan.msg, /^CentOS 5 does not read \/etc\/sysctl\.d\/ at boot .*use sysctl_file: \/etc\/sysctl\.conf$/);
    assert.equal(unreadAtBoot('/etc/sysctl.conf', centos5), undefined);
    for (const other of [{ ...centos5, ansible_distribution_major_version: '6' }, { ansible_os_family: 'Debian', ansible_distribution_major_version: '4' }, {}]) {
      assert.equal(unreadAtBoot('/etc/sysctl.d/60-ipvs.conf', other), undefined, JSON.stringify(other));
    }
  });
  it('reads this machine\'s kernel value (check mode)', async () => {
    const cur = (await runLocal('sysctl -n net.ipv4.ip_forward')).stdout.trim();
    if (!cur) return;
    const plan = await sysctl.plan(localSysContext(), args(sysctl.args, { name: 'net.ipv4.ip_forward', value: cur === '1' ? '0' : '1', sysctl_set: true, sysctl_file: '/nonexistent/kelpie.conf' }));
    assert.ok(plan.kind === 'change');
    assert.match(plan.changes!.join('\n'), new RegExp(`kernel has ${cur}\\)`));
  });
});

// Captured from postfix 3.7 (Debian 12): `postconf -M smtp/inet`.
const MASTER_SMTP = 'smtp       inet  n       -       y       -       -       smtpd\n';

describe('postconf (recorded output)', () => {
  it('parses master.cf lines', () => {
    assert.deepEqual(parseMasterLine('spamass    unix  -       n       n       -       -       pipe user=nobody argv=/bin/true'), ['spamass', 'unix', '-', 'n', 'n', '-', '-', 'pipe user=nobody argv=/bin/true']);
  });
  it('sets smtpd_milters with postconf -e and a value diff', async () => {
    const ctx = scriptedContext({ replies: [{ match: /^postconf -h smtpd_milters$/, stdout: '\n' }, { match: /^postconf -nh/, stdout: '' }, { match: /^command -v postconf/, stdout: '/usr/sbin/postconf\n' }] });
    const plan = await postconf.plan(ctx, args(postconf.args, { name: 'smtpd_milters', value: 'unix:/var/spool/postfix/spamass/spamass.sock' }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, 'postconf -e smtpd_milters=unix:/var/spool/postfix/spamass/spamass.sock');
    assert.equal(plan.diff?.[0]?.after, 'smtpd_milters = unix:/var/spool/postfix/spamass/spamass.sock\n');
  });
  it('keeps master.cf fields the task leaves out', async () => {
    const ctx = scriptedContext({ replies: [{ match: /^postconf -M smtp\/inet$/, stdout: MASTER_SMTP }, { match: /^command -v/, stdout: '/usr/sbin/postconf\n' }] });
    assert.equal((await postconf.plan(ctx, args(postconf.args, { service: 'smtp', type: 'inet', command: 'smtpd' }))).kind, 'ok');
    const plan = await postconf.plan(ctx, args(postconf.args, { service: 'smtp', type: 'inet', command: 'smtpd -o smtpd_milters=' }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, "postconf -Me 'smtp/inet=smtp inet n - y - - smtpd -o smtpd_milters='");
  });
  it("fails when postfix is not installed, in check mode too (after earlier changes the executor makes it 'cannot verify')", async () => {
    const ctx = scriptedContext({ replies: [{ match: /^postconf/, rc: 127 }, { match: /^command -v/, rc: 1 }] });
    assert.deepEqual(await postconf.plan(ctx, args(postconf.args, { name: 'smtpd_milters', value: 'x' })), { kind: 'fail', msg: 'postconf not found: is postfix installed?' });
  });
});

/**
 * The real postconf against a scratch config dir. Runs where postconf is on PATH, or
 * where KELPIE_TEST_POSTFIX_ROOT points at an unpacked postfix .deb (`dpkg-deb -x`).
 */
describe('postconf with the real postconf binary (scratch config dir)', function () {
  let dir = '';
  let env: Record<string, string> = {};
  before(async function () {
    const root = process.env['KELPIE_TEST_POSTFIX_ROOT'];
    if (root) env = { PATH: `${root}/usr/sbin:${process.env['PATH']}`, LD_LIBRARY_PATH: `${root}/usr/lib/postfix` };
    if ((await runLocal('command -v postconf', { env })).rc !== 0) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'kelpie-postconf-'));
    const share = root ? `${root}/usr/share/postfix` : '/usr/share/postfix';
    await copyFile(`${share}/master.cf.dist`, join(dir, 'master.cf'));
    await writeFile(join(dir, 'main.cf'), 'compatibility_level = 3.6\n');
  });
  after(async () => dir && rm(dir, { recursive: true, force: true }));
  it('changes once, then is ok; writes only the scratch main.cf and master.cf', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const ctx = localSysContext({ allowWrites: true });
      const a = args(postconf.args, { name: 'smtpd_milters', value: 'unix:/var/spool/postfix/spamass/spamass.sock', config_dir: dir });
      const plan = await postconf.plan(ctx, a);
      assert.ok(plan.kind === 'change', JSON.stringify(plan));
      await postconf.apply!(ctx, a, plan.data!, plan);
      assert.match(await readFile(join(dir, 'main.cf'), 'utf8'), /^smtpd_milters = unix:\/var\/spool\/postfix\/spamass\/spamass.sock$/m);
      assert.equal((await postconf.plan(ctx, a)).kind, 'ok');
      const m = args(postconf.args, { service: 'spamass', type: 'unix', unpriv: 'n', chroot: 'n', command: 'pipe user=nobody argv=/bin/true', config_dir: dir });
      const mp = await postconf.plan(ctx, m);
      assert.ok(mp.kind === 'change');
      await postconf.apply!(ctx, m, mp.data!, mp);
      assert.equal((await postconf.plan(ctx, m)).kind, 'ok');
      const gone = args(postconf.args, { service: 'spamass', type: 'unix', state: 'absent', config_dir: dir });
      const gp = await postconf.plan(ctx, gone);
      assert.ok(gp.kind === 'change');
      await postconf.apply!(ctx, gone, gp.data!, gp);
      assert.equal((await postconf.plan(ctx, gone)).kind, 'ok');
    } finally {
      process.env = saved;
    }
  });
});
