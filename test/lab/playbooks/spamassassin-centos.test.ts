/**
 * playbooks/spamassassin-milter.yaml, CentOS half, on a REPLAYED CentOS 5 host: a Debian lab
 * host with the redhat-profile and the rpm/yum/chkconfig stand-ins (src/lab/standins), whose
 * yum lays down the recorded payloads of CentOS 5's spamass-milter, spamassassin and postfix
 * packages (sysconfig files, SysV init scripts, local.cf, main.cf/master.cf) and replayed
 * programs (spamd, spamass-milter and Postfix's master as tiny daemons; postconf editing
 * main.cf). `service` is Debian's, running the replayed init scripts for real.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab, LabHost } from '../../../src/lab/index.js';
import { STANDIN_STATE_DIR } from '../../../src/lab/standins/index.js';
import { assertContract, runPlaybook, useLab } from '../../helpers/labHarness.js';
import { labWithRoles, shOk as sh } from '../../helpers/labRoles.js';

const PLAYBOOK = join(dirname(fileURLToPath(import.meta.url)), '../../../playbooks/spamassassin-milter.yaml');
const SOCK = '/var/run/spamass-milter/spamass.sock';

describe('lab: spamassassin-milter on a replayed CentOS 5 host (recorded package payloads)', function () {
  this.timeout(600_000);
  const h = useLab('centosmail', 1);
  let lab: Lab;
  let host: LabHost;

  before(async function () {
    this.timeout(60_000);
    // demoGroups sets spamass_verify_smtp=false here: the replayed daemons never read mail.
    lab = await labWithRoles(h.lab(), [['mail', 'centos']]);
    host = lab.hosts[0]!;
  });

  it('replayed CentOS 5: check predicts, the run configures milter + spamd + Postfix from ONE score (milter started with exactly one -r), the second run changes nothing; verify tasks pass except SMTP (replayed daemons)', async () => {
    // 6, not the packages' 5: both files must take the value from the one variable
    const { apply } = await assertContract(lab, host, PLAYBOOK, ['-e', 'spam_score=6']);

    const milter = await sh(host, 'cat /etc/sysconfig/spamass-milter');
    assert.match(milter, /^SOCKET="\/var\/run\/spamass-milter\/spamass\.sock"$/m);
    assert.doesNotMatch(milter, /^#SOCKET=/m, 'the commented default became the setting');
    // the whole value, not appended to the init script's default "-m -r 15"
    assert.match(milter, /^EXTRA_FLAGS="-m -r 6"$/m);
    assert.equal(milter.match(/^#?\s*EXTRA_FLAGS=/gm)?.length, 1, 'one EXTRA_FLAGS line');
    const args = await sh(host, "ps -o args= -p $(pgrep -f '^[^ ]*python3 [^ ]*/spamass-milter')");
    assert.match(args, /\/usr\/sbin\/spamass-milter -p \S+ -f -m -r 6$/m, 'the running milter got exactly one -r');
    const verify = apply.report.plays[0]!.tasks.filter((t) => t.name.startsWith('the ') && t.hosts[host.name]?.status === 'failed');
    assert.deepEqual(verify.map((t) => t.name), []);
    const running = apply.report.plays[0]!.tasks.find((t) => t.name === 'the running milter uses its configured arguments')!;
    assert.equal(running.hosts[host.name]!.status, 'ok');
    const spamd = await sh(host, 'grep ^SPAMDOPTIONS= /etc/sysconfig/spamassassin');
    assert.equal(spamd, 'SPAMDOPTIONS="-d -c -m5 -H -u spamassassin -g spamassassin"\n', 'the package options kept');
    const local = await sh(host, 'cat /etc/mail/spamassassin/local.cf');
    assert.match(local, /^required_score 6$/m);
    assert.doesNotMatch(local, /^required_hits/m, "the package's required_hits line is the one replaced");
    assert.match(local, /^rewrite_header Subject \[SPAM\]$/m, 'the rest of local.cf kept');
    const guard = apply.report.plays[0]!.tasks.find((t) => t.name === 'the milter and SpamAssassin agree on the spam score')!.hosts[host.name]!;
    // no SpamAssassin Perl library on the replayed host: the guard read the .cf files in SpamAssassin's order
    assert.equal(guard.status, 'ok');
    assert.match(String(guard.result.msg), /both use 6/);

    assert.equal(await sh(host, 'postconf -h smtpd_milters'), `unix:${SOCK}\n`);
    assert.match(await sh(host, 'cat /etc/postfix/main.cf'), new RegExp(`^smtpd_milters = unix:${SOCK}$`, 'm'));

    assert.equal(await sh(host, 'stat -c "%U %a" /var/run/spamass-milter'), 'spamass-milter 711\n');
    assert.equal(await sh(host, 'stat -c "%U %a" /home/spamass-milter'), 'spamass-milter 711\n');
    assert.equal(await sh(host, 'stat -c "%U %a" /home/spamassassin/.spamassassin'), 'spamassassin 700\n');

    // the init script starts the milter unprivileged and hands its socket to postfix
    const init = await sh(host, 'cat /etc/rc.d/init.d/spamass-milter');
    assert.match(init, /^\trunuser - spamass-milter -s \/bin\/bash -c "\/usr\/sbin\/spamass-milter -p \$SOCKET -f \$EXTRA_FLAGS"$/m);
    assert.doesNotMatch(init, /^\s*daemon /m);
    assert.equal(await sh(host, `stat -c "%U:%G %a %F" ${SOCK}`), 'postfix:postfix 660 socket\n');
    assert.equal(await sh(host, "ps -o user= -p $(pgrep -f '^[^ ]*python3 [^ ]*/spamass-milter')"), 'spamass-milter\n');
    assert.equal(await sh(host, "ps -o user= -p $(pgrep -f '^[^ ]*python3 [^ ]*/spamd')"), 'spamassassin\n');

    for (const svc of ['spamassassin', 'spamass-milter']) {
      assert.match(await sh(host, `chkconfig --list ${svc}`), /\t2:on\t3:on\t4:on\t5:on\t/, `${svc} on at boot`);
      assert.match(await sh(host, `service ${svc} status`), /is running/);
    }
    const state = JSON.parse(await sh(host, `cat ${STANDIN_STATE_DIR}/state.json`)) as { chkconfig: Record<string, string> };
    assert.equal(state.chkconfig['spamassassin'], '2345');
    assert.equal(state.chkconfig['spamass-milter'], '2345');
    const calls = (await sh(host, `cat ${STANDIN_STATE_DIR}/calls.log`)).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as string[]).join(' '));
    assert.deepEqual(
      calls.filter((c) => /^(chkconfig|postconf) /.test(c)),
      ['chkconfig spamassassin on', 'chkconfig spamass-milter on', `postconf -e smtpd_milters=unix:${SOCK}`],
      'enabled through chkconfig (yum registered the scripts), Postfix told once',
    );
  });

  it('replayed CentOS 5: a milter score that differs from required_score FAILS the play naming both values', async () => {
    await sh(host, `sed -i 's/ -r 6"/ -r 3"/' /etc/sysconfig/spamass-milter`);
    const guard = await runPlaybook(lab, PLAYBOOK, ['--tags', 'score_guard'], host.name);
    assert.equal(guard.code, 2, `the play fails:\n${guard.out}`);
    assert.match(guard.out, /spamass-milter rejects at 3 \(\/etc\/sysconfig\/spamass-milter\)\s+but SpamAssassin's required_score is 6/);
  });
  it("replayed CentOS 5: the older appended line (`-m -r 15 -r 6`) FAILS the guard, and a run replaces it with one -r", async () => {
    await sh(host, `sed -i 's/^EXTRA_FLAGS=.*/EXTRA_FLAGS="\${EXTRA_FLAGS} -r 6"/' /etc/sysconfig/spamass-milter`);
    const guard = await runPlaybook(lab, PLAYBOOK, ['--tags', 'score_guard'], host.name);
    assert.equal(guard.code, 2, `the guard fails:\n${guard.out}`);
    assert.match(guard.out, /would start with '-m -r 15 -r 6' .*-r given 2 times, exactly one wanted/s);
    const run = await runPlaybook(lab, PLAYBOOK, ['-e', 'spam_score=6'], host.name);
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(await sh(host, 'grep EXTRA_FLAGS= /etc/sysconfig/spamass-milter'), /^EXTRA_FLAGS="-m -r 6"\n$/);
    const args = await sh(host, "ps -o args= -p $(pgrep -f '^[^ ]*python3 [^ ]*/spamass-milter')");
    assert.match(args, / -m -r 6$/m, 'restarted with one -r');
  });
});
