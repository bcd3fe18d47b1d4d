/**
 * playbooks/spamassassin-milter.yaml on a Debian 12 lab host, for real: Debian's postfix,
 * spamd, spamassassin and spamass-milter packages from the lab's repository, their own
 * init scripts, and SMTP from the controller over the lab network. After the play, mail
 * flows: an ordinary message gets 250 and the GTUBE test message 550 from the milter.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab, LabHost } from '../../../src/lab/index.js';
import { assertContract, runPlaybook, useLab } from '../../helpers/labHarness.js';
import { labWithRoles, shOk as sh } from '../../helpers/labRoles.js';
import { ORDINARY, SPAM_GTUBE, sendMail } from '../../helpers/smtp.js';

const PLAYBOOK = join(dirname(fileURLToPath(import.meta.url)), '../../../playbooks/spamassassin-milter.yaml');

describe('lab: spamassassin-milter on Debian 12, for real (mail flows through the milter)', function () {
  this.timeout(1_200_000);
  const h = useLab('mailflow', 1);
  let lab: Lab;
  let host: LabHost;

  before(async function () {
    lab = await labWithRoles(h.lab(), [['mail']]);
    host = lab.hosts[0]!;
  });

  it('check predicts, the run configures, the second run changes nothing; its verify tasks pass', async () => {
    const { check, apply } = await assertContract(lab, host, PLAYBOOK);
    // defect 7: the milter's file and local.cf come from the packages the check run only
    // simulated: no "create a one-line file" diff for them
    for (const name of ['milter rejects at spam_score', "SpamAssassin's required_score is spam_score"]) {
      const t = check.report.plays[0]!.tasks.find((x) => x.name === name)!.hosts[host.name]!;
      assert.match(String(t.result.msg), /^would change, cannot verify: /, name);
      assert.equal(t.result.diff, undefined, `${name}: no diff that the real run would not make`);
    }
    const verify = apply.report.plays[0]!.tasks.find((t) => t.name === 'SMTP accepts ordinary mail and rejects GTUBE through the milter')!;
    assert.equal(verify.hosts[host.name]!.status, 'ok');
    assert.match(String(verify.hosts[host.name]!.result.stdout), /ordinary mail: 250 .*\nGTUBE: 550 /);
  });

  it('Postfix (chrooted smtpd) reaches the milter at unix:/spamass/spamass.sock; SMTP from the controller: 250 for ordinary mail, 550 for GTUBE', async () => {
    assert.match(await sh(host, "awk '$1 == \"smtp\" && $2 == \"inet\" { print $5 }' /etc/postfix/master.cf"), /^y$/m, "Debian's smtpd is chrooted");
    assert.equal(await sh(host, 'postconf -h smtpd_milters'), 'unix:/spamass/spamass.sock\n');
    await sh(host, 'test -S /var/spool/postfix/spamass/spamass.sock');
    const [ordinary, gtube] = await sendMail(host.address, [ORDINARY, SPAM_GTUBE]);
    assert.match(ordinary!, /^250 /);
    assert.match(gtube!, /^550 5\.7\.1 Blocked by SpamAssassin/);
  });

  it("the seed's full socket path makes Postfix refuse mail (451 4.7.1) and fails --tags verify; the playbook puts it right", async () => {
    await sh(host, 'postconf -e smtpd_milters=unix:/var/spool/postfix/spamass/spamass.sock && postfix reload');
    const [refused] = await sendMail(host.address, [ORDINARY]);
    assert.match(refused!, /^451 4\.7\.1 /, 'the broken path refuses all mail');
    const verify = await runPlaybook(lab, PLAYBOOK, ['--tags', 'verify'], host.name);
    assert.equal(verify.code, 2, `verify must fail:\n${verify.out}`);
    const run = await runPlaybook(lab, PLAYBOOK, [], host.name);
    assert.equal(run.code, 0, run.out + run.err);
    assert.equal(await sh(host, 'postconf -h smtpd_milters'), 'unix:/spamass/spamass.sock\n');
    const [ordinary] = await sendMail(host.address, [ORDINARY]);
    assert.match(ordinary!, /^250 /);
  });

  it("score guard: a required_score in another .cf file of /etc/spamassassin is SpamAssassin's real threshold, and the guard FAILS naming it", async () => {
    await sh(host, 'echo "required_score 9" > /etc/spamassassin/zz-site-override.cf');
    try {
      const guard = await runPlaybook(lab, PLAYBOOK, ['--tags', 'score_guard'], host.name);
      assert.equal(guard.code, 2, `the guard fails:\n${guard.out}`);
      assert.match(guard.out, /spamass-milter rejects at 5 \(\/etc\/default\/spamass-milter\)\s+but SpamAssassin's required_score is 9(\.0)? \(SpamAssassin/);
    } finally {
      await sh(host, 'rm -f /etc/spamassassin/zz-site-override.cf');
    }
  });

  it('score guard: a second -r in the milter options FAILS (the milter must get exactly one reject score)', async () => {
    await sh(host, `cp /etc/default/spamass-milter /root/milter.saved && echo 'OPTIONS="\${OPTIONS} -r 7"' >> /etc/default/spamass-milter`);
    try {
      const guard = await runPlaybook(lab, PLAYBOOK, ['--tags', 'score_guard'], host.name);
      assert.equal(guard.code, 2, `the guard fails:\n${guard.out}`);
      assert.match(guard.out, /-r 5 -r 7'.*-r given 2 times, exactly one wanted/s);
    } finally {
      await sh(host, 'mv /root/milter.saved /etc/default/spamass-milter');
    }
    const ok = await runPlaybook(lab, PLAYBOOK, ['--tags', 'score_guard'], host.name);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /spamass-milter and SpamAssassin both use 5/);
  });
});
