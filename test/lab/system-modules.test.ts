/**
 * The package and system modules on real Debian 12 lab hosts (SysV init, local apt repo),
 * through the real CLI over SSH. Every playbook runs the three-way contract on a fresh host:
 * check mode leaves the host byte-for-byte unchanged and predicts the real run, the real
 * run changes, the second run changes nothing.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost, type LabHost } from '../../src/lab/index.js';
import { assertContract, changedTasks, runPlaybook, useLab, type JsonReport } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-system');
const pb = (name: string): string => join(fixtures, name);

/** Prepares a host before its snapshot: runs a shell script inside it, which must succeed. */
async function prep(host: LabHost, script: string): Promise<void> {
  const r = await runInHost(host, ['sh', '-ec', `export DEBIAN_FRONTEND=noninteractive\n${script}`]);
  assert.equal(r.rc, 0, `host preparation failed:\n${r.stdout}\n${r.stderr}`);
}

async function inHost(host: LabHost, script: string): Promise<string> {
  const r = await runInHost(host, ['sh', '-c', script]);
  return r.stdout;
}

function taskResult(report: JsonReport, task: string, host: string): { status: string; result: Record<string, unknown> } {
  for (const p of report.plays) for (const t of p.tasks) if (t.name === task && t.hosts[host]) return t.hosts[host];
  throw new Error(`no result for task '${task}' on ${host}`);
}

describe('lab: package and system modules on Debian SysV hosts (check mode is a contract)', function () {
  this.timeout(900_000);
  const h = useLab('sysmods', 9);
  const host = (i: number): LabHost => h.lab().hosts[i]!;

  it('apt: cache refresh, install with dependencies, latest, remove; check mode lists the exact packages', async () => {
    const lab = h.lab();
    const x = host(0);
    // lists two days old that lack the repository's Release file: the update writes it, so it
    // counts as an update (as in Ansible, an update that changes no list is not a change);
    // apt's caches are rebuilt first, so the check run finds them current
    await prep(x, "apt-get install -y -q hello >/dev/null\nrm -f /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists/_srv_repo_._Release\napt-cache stats >/dev/null\ntouch -d '2 days ago' /var/lib/apt/lists");
    const { check, apply } = await assertContract(lab, x, pb('apt.yaml'));
    const cow = taskResult(check.report, 'cowsay with its dependencies', x.name);
    assert.equal(cow.status, 'changed');
    const changes = cow.result['changes'] as string[];
    assert.ok(changes.some((c) => /^install cowsay \S+/.test(c)), changes.join('\n'));
    assert.ok(changes.some((c) => /^install libtext-charwidth-perl \S+/.test(c)), `the dependency is listed:\n${changes.join('\n')}`);
    const installed = (apply.report.plays[0]!.tasks[1]!.hosts[x.name]!.result['stdout'] as string) ?? '';
    for (const c of changes) {
      const name = /^(?:install|upgrade) (\S+)/.exec(c)?.[1];
      if (name) assert.match(installed, new RegExp(`Unpacking ${name.replace(/[.+]/g, '\\$&')}[ :]`), `check mode predicted ${name}; the real run unpacked it`);
    }
    assert.match(check.out, /\+cowsay \S+/, 'the --diff output shows the package list after');
    assert.equal(taskResult(check.report, 'hello removed', x.name).status, 'changed');
    assert.deepEqual((taskResult(check.report, 'hello removed', x.name).result['changes'] as string[]).map((c) => c.split(' ')[1]), ['hello']);
    assert.equal(taskResult(check.report, 'refresh the cache when it is older than an hour', x.name).status, 'changed');
    const st = await inHost(x, "for p in cowsay libtext-charwidth-perl sl hello; do dpkg-query -W -f='${Package} ${db:Status-Abbrev}\\n' $p 2>/dev/null || echo \"$p gone\"; done");
    assert.deepEqual(st.trim().split('\n').map((l) => l.trim()), ['cowsay ii', 'libtext-charwidth-perl ii', 'sl ii', 'hello gone']);
  });

  it("apt: a package only the task's own cache update reveals is installed in one run; check mode says it cannot verify", async () => {
    const lab = h.lab();
    const x = host(8);
    await prep(x, "rm -rf /var/lib/apt/lists/* /var/lib/apt/periodic/update-success-stamp\ntouch -d '2 days ago' /var/lib/apt/lists\n! apt-cache show sl >/dev/null 2>&1");
    const { check } = await assertContract(lab, x, pb('apt-empty-lists.yaml'));
    const sl = taskResult(check.report, 'sl, with the cache refreshed first', x.name);
    assert.equal(sl.status, 'changed');
    assert.match(String(sl.result['check_unknown']), /^depends on the apt cache update \(now: No package matching 'sl' is available/);
    assert.match(await inHost(x, "dpkg-query -W -f='${db:Status-Abbrev}' sl"), /^ii/);
  });

  it("service + postconf: what an earlier task installs is 'would change, cannot verify' in check mode, then done for real", async () => {
    const lab = h.lab();
    const x = host(1);
    const { check } = await assertContract(lab, x, pb('service-install.yaml'));
    const svc = taskResult(check.report, 'spamd stopped and disabled', x.name);
    assert.equal(svc.status, 'changed');
    assert.match(String(svc.result['check_unknown']), /spamd/);
    assert.match(String(svc.result['msg']), /^would change, cannot verify: /);
    assert.doesNotMatch(String(svc.result['msg']), /cannot verify.*cannot verify/, 'the prefix is said once');
    const pc = taskResult(check.report, 'postconf on the postfix this play installs', x.name);
    assert.equal(pc.status, 'changed');
    assert.match(String(pc.result['check_unknown']), /^depends on changes earlier tasks would make \(now: postconf not found/);
    assert.equal(await inHost(x, 'postconf -h message_size_limit'), '30720000\n');
    const rc = await runInHost(x, ['/etc/init.d/spamd', 'status']);
    assert.notEqual(rc.rc, 0, 'spamd is stopped');
    assert.match(await inHost(x, 'ls /etc/rc2.d'), /K\d\dspamd/);
  });

  // Ansible enables with `update-rc.d NAME defaults`, which creates missing links but leaves
  // K links of a disabled service as they are: the service starts from no links at all
  it('sysvinit + service: a stopped spamd without rc links is started and enabled (update-rc.d defaults)', async () => {
    const lab = h.lab();
    const x = host(2);
    await prep(x, 'apt-get install -y -q spamd >/dev/null\n/etc/init.d/spamd stop >/dev/null\nupdate-rc.d -f spamd remove >/dev/null 2>&1');
    const { check } = await assertContract(lab, x, pb('sysvinit.yaml'));
    assert.deepEqual(taskResult(check.report, 'spamd running', x.name).result['changes'], ['start spamd']);
    assert.deepEqual(taskResult(check.report, 'spamd enabled at boot', x.name).result['changes'], ['enable spamd']);
    assert.equal((await runInHost(x, ['/etc/init.d/spamd', 'status'])).rc, 0, 'spamd runs');
    assert.match(await inHost(x, 'ls /etc/rc2.d /etc/rc3.d'), /S\d\dspamd[\s\S]*S\d\dspamd/);
  });

  it('user/group: uid/gid, shell, groups+append, comment, system, no home, password hash kept secret, absent', async () => {
    const lab = h.lab();
    const x = host(3);
    await prep(x, 'groupadd doomed\nuseradd -m olduser\nuseradd -m -G users alice');
    const { check, apply, rerun } = await assertContract(lab, x, pb('accounts.yaml'));
    const hash = '$6$kelpiesalt0001$sc/evErzpxm7Kd';
    for (const r of [check, apply, rerun]) {
      assert.ok(!r.out.includes(hash) && !r.err.includes(hash), 'the hash is not in the output');
      assert.ok(!JSON.stringify(r.report).includes(hash), 'the hash is not in the JSON report');
    }
    assert.match(await inHost(x, 'getent passwd deploy'), /^deploy:x:2301:2300:Deploy Account:\/home\/deploy:\/bin\/false$/m);
    assert.match(await inHost(x, 'getent shadow deploy'), /^deploy:\$6\$kelpiesalt0001\$sc\/evErzpxm7Kd/m);
    assert.match(await inHost(x, 'id -nG deploy'), /^ops auditors$/m);
    assert.match(await inHost(x, 'id -nG alice'), /\busers\b/);
    assert.match(await inHost(x, 'id -nG alice'), /\bops\b/);
    const svc = (await inHost(x, 'getent passwd svcbot')).split(':');
    assert.ok(Number(svc[2]) < 1000, `svcbot is a system user (uid ${svc[2]})`);
    assert.equal(svc[6]?.trim(), '/usr/sbin/nologin');
    assert.equal((await runInHost(x, ['test', '-e', '/home/svcbot'])).rc, 1, 'no home for svcbot');
    assert.ok(Number((await inHost(x, 'getent group auditors')).split(':')[2]) < 1000, 'auditors is a system group');
    assert.equal(await inHost(x, 'getent passwd olduser; getent group doomed; test -e /home/olduser && echo home'), '');
  });

  it('user: the password argument is secret even without no_log', async () => {
    const lab = h.lab();
    const x = host(4);
    const { check, apply, rerun } = await assertContract(lab, x, pb('user-password.yaml'));
    for (const r of [check, apply, rerun]) {
      assert.ok(!r.out.includes('kelpiesalt0001') && !r.err.includes('kelpiesalt0001'), `no hash in the output:\n${r.out}`);
      assert.ok(!JSON.stringify(r.report).includes('kelpiesalt0001'), 'no hash in the JSON report');
    }
    assert.match(await inHost(x, 'getent shadow carol'), /^carol:\$6\$kelpiesalt0001\$/m);
  });

  it('timezone (Debian): Australia/Melbourne, then Etc/GMT and UTC; /etc/timezone and the /etc/localtime link; --diff shows old and new', async () => {
    const lab = h.lab();
    const x = host(5);
    const { check } = await assertContract(lab, x, pb('timezone.yaml'), ['-e', 'tz=Australia/Melbourne']);
    assert.match(check.out, /-name: Etc\/UTC/);
    assert.match(check.out, /\+name: Australia\/Melbourne/);
    const state = async (): Promise<string> => inHost(x, 'cat /etc/timezone; readlink /etc/localtime');
    assert.equal(await state(), 'Australia/Melbourne\n/usr/share/zoneinfo/Australia/Melbourne\n');
    let prev = 'Australia/Melbourne';
    for (const tz of ['Etc/GMT', 'UTC']) {
      const run = await runPlaybook(lab, pb('timezone.yaml'), ['--diff', '-e', `tz=${tz}`], x.name);
      assert.equal(run.code, 0, run.out);
      assert.deepEqual(changedTasks(run.report, x.name), [`time zone ${tz}`]);
      assert.ok(run.out.includes(`-name: ${prev}`) && run.out.includes(`+name: ${tz}`), run.out);
      assert.equal(await state(), `${tz}\n/usr/share/zoneinfo/${tz}\n`);
      const again = await runPlaybook(lab, pb('timezone.yaml'), ['-e', `tz=${tz}`], x.name);
      assert.deepEqual(changedTasks(again.report, x.name), []);
      prev = tz;
    }
  });

  it("sysctl: a sysctl.d file, reload and sysctl_set in the host's own network namespace", async () => {
    const lab = h.lab();
    const x = host(6);
    const { check } = await assertContract(lab, x, pb('sysctl.yaml'));
    assert.match(check.out, /\+net\.ipv4\.ip_forward=1/);
    assert.equal(await inHost(x, 'cat /etc/sysctl.d/90-kelpie.conf'), 'net.ipv4.ip_forward=1\nnet.ipv4.conf.all.arp_ignore=1\n');
    assert.equal(await inHost(x, 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.arp_ignore'), '1\n1\n');
    // another host's namespace is untouched
    assert.equal(await inHost(host(3), 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.arp_ignore'), '0\n0\n');
  });

  it('postconf: main.cf value, state absent and a master.cf entry; the notified handler restarts postfix', async () => {
    const lab = h.lab();
    const x = host(7);
    await prep(x, 'apt-get install -y -q postfix >/dev/null\ngrep -q "^biff" /etc/postfix/main.cf');
    const pidBefore = await inHost(x, 'cat /var/spool/postfix/pid/master.pid');
    const { check, apply } = await assertContract(lab, x, pb('postconf.yaml'));
    assert.deepEqual(changedTasks(check.report, x.name), ['message size limit', 'biff no longer set explicitly', 'a spamass pipe service in master.cf', 'handler: restart postfix']);
    assert.match(apply.out, /RUNNING HANDLER \[restart postfix\]/);
    assert.equal(await inHost(x, 'postconf -h message_size_limit; postconf -nh biff'), '20480000\n');
    assert.match(await inHost(x, 'postconf -M spamass/unix'), /^spamass\s+unix\s+-\s+n\s+n\s+-\s+-\s+pipe user=nobody argv=\/bin\/true$/m);
    assert.notEqual(await inHost(x, 'cat /var/spool/postfix/pid/master.pid'), pidBefore, 'postfix was restarted');
    assert.equal((await runInHost(x, ['/etc/init.d/postfix', 'status'])).rc, 0, 'postfix runs');
  });
});
