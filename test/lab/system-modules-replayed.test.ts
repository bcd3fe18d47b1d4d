/**
 * The package and system modules against REPLAYED hosts: a CentOS 5 host and a systemd host
 * cannot exist in this lab, so Debian lab hosts carry the stand-ins of src/lab/standins
 * (rpm, yum, dnf, chkconfig, systemctl, timedatectl, /etc/redhat-release,
 * /run/systemd/system) that replay the real tools' output and record every changing call.
 * Same contract as everywhere: check mode changes nothing and predicts the real run, the
 * second run changes nothing.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost, type LabHost } from '../../src/lab/index.js';
import { installStandins } from '../../src/lab/standins/install.js';
import { STANDIN_STATE_DIR } from '../../src/lab/standins/index.js';
import { assertContract, changedTasks, runPlaybook, useLab, type JsonReport } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab-system');
const pb = (name: string): string => join(fixtures, name);

async function inHost(host: LabHost, script: string): Promise<string> {
  return (await runInHost(host, ['sh', '-c', script])).stdout;
}

/** The stand-ins' record of changing calls (queries are not recorded). */
async function calls(host: LabHost): Promise<string[][]> {
  const log = await inHost(host, `cat ${STANDIN_STATE_DIR}/calls.log 2>/dev/null`);
  return log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
}

function taskResult(report: JsonReport, task: string, host: string): { status: string; result: Record<string, unknown> } {
  for (const p of report.plays) for (const t of p.tasks) if (t.name === task && t.hosts[host]) return t.hosts[host];
  throw new Error(`no result for task '${task}' on ${host}`);
}

describe('lab: system modules on replayed CentOS and systemd hosts (stand-ins)', function () {
  this.timeout(600_000);
  const h = useLab('sysreplay', 3);
  const host = (i: number): LabHost => h.lab().hosts[i]!;

  it('replayed CentOS 5: yum, dnf and package install/remove, service + chkconfig, check mode unknown for services not installed yet', async () => {
    const lab = h.lab();
    const x = host(0);
    await installStandins(x, ['redhat-profile', 'rpm', 'yum', 'dnf', 'chkconfig']);
    assert.equal((await runInHost(x, ['yum', '-y', 'install', 'ipvsadm'])).rc, 0);
    const before = (await calls(x)).length;
    const { check } = await assertContract(lab, x, pb('rhel-packages.yaml'));
    assert.deepEqual(taskResult(check.report, 'spamass-milter through yum (pulls its dependencies)', x.name).result['changes'], [
      'install spamass-milter (dependencies: unknown until yum resolves them)',
    ]);
    for (const t of ['spamass-milter running and on at boot', 'spamassassin on at boot']) {
      const r = taskResult(check.report, t, x.name);
      assert.equal(r.status, 'changed');
      assert.match(String(r.result['check_unknown']), /^depends on changes earlier tasks would make \(now: Could not find the requested service/);
    }
    const made = (await calls(x)).slice(before).map((c) => c.join(' '));
    assert.deepEqual(made, [
      'yum -y install spamass-milter',
      'dnf -y install postfix', // package: pkg_mgr is dnf (preferred over yum, as Ansible's facts do)
      'dnf -y remove ipvsadm',
      // no `chkconfig --add`: the packages' %post registered their init scripts, as on CentOS
      'chkconfig spamass-milter on',
      'chkconfig spamassassin on',
    ]);
    assert.equal(await inHost(x, "rpm -qa --qf '%{NAME}\\n'"), 'postfix\nsendmail-milter\nspamass-milter\nspamassassin\n');
    assert.match(await inHost(x, 'chkconfig --list spamass-milter'), /3:on/);
    assert.equal((await runInHost(x, ['service', 'spamass-milter', 'status'])).rc, 0, 'the replayed init script says running');
  });

  it('replayed CentOS 5 timezone: ZONE="Etc/GMT" with quotes in /etc/sysconfig/clock, other lines kept; an unquoted ZONE is rewritten', async () => {
    const lab = h.lab();
    const x = host(1);
    await installStandins(x, ['redhat-profile']);
    const { check } = await assertContract(lab, x, pb('timezone.yaml'), ['-e', 'tz=Etc/GMT']);
    assert.match(check.out, /-name: America\/Los_Angeles/);
    assert.match(check.out, /\+name: Etc\/GMT/);
    assert.equal(await inHost(x, 'cat /etc/sysconfig/clock'), 'ZONE="Etc/GMT"\nUTC=true\nARC=false\n');
    assert.equal(await inHost(x, 'readlink /etc/localtime'), '/usr/share/zoneinfo/Etc/GMT\n');
    await runInHost(x, ['sed', '-i', 's/^ZONE=.*/ZONE=Etc\\/GMT/', '/etc/sysconfig/clock']);
    const fix = await runPlaybook(lab, pb('timezone.yaml'), ['-e', 'tz=Etc/GMT'], x.name);
    assert.deepEqual(changedTasks(fix.report, x.name), ['time zone Etc/GMT'], 'the quotes are part of the wanted state');
    assert.equal(await inHost(x, 'cat /etc/sysconfig/clock'), 'ZONE="Etc/GMT"\nUTC=true\nARC=false\n');
  });

  it('replayed systemd host: systemd unit started/enabled after daemon-reload, service picks systemctl, timezone through timedatectl', async () => {
    const lab = h.lab();
    const x = host(2);
    await installStandins(x, ['systemd-marker', 'systemctl', 'timedatectl']);
    const { check } = await assertContract(lab, x, pb('systemd-replayed.yaml'));
    assert.match(String(taskResult(check.report, 'kelpie-demo started and enabled', x.name).result['check_unknown']), /kelpie-demo/);
    assert.deepEqual(taskResult(check.report, 'ssh through service picks systemd', x.name).result['changes'], ['enable ssh']);
    assert.deepEqual(taskResult(check.report, 'time zone through timedatectl', x.name).result['changes'], ['set time zone Etc/UTC -> Europe/Berlin (systemd)']);
    assert.deepEqual(
      (await calls(x)).map((c) => c.join(' ')),
      [
        'systemctl daemon-reload',
        'systemctl enable kelpie-demo',
        'systemctl start kelpie-demo',
        'systemctl enable ssh',
        'timedatectl set-timezone Europe/Berlin',
        // the second run reloads again (daemon_reload always does) yet reports changed=0
        'systemctl daemon-reload',
      ],
    );
    const converged = await runPlaybook(lab, pb('systemd-replayed.yaml'), ['--check'], x.name);
    assert.deepEqual(changedTasks(converged.report, x.name), [], 'check mode on the converged host: daemon_reload alone is no change');
    assert.equal((await calls(x)).length, 6, 'check mode asked nothing that changes');
    assert.equal(await inHost(x, 'systemctl is-active kelpie-demo; systemctl is-enabled kelpie-demo'), 'active\nenabled\n');
    assert.equal(await inHost(x, 'readlink /etc/localtime; cat /etc/timezone'), '../usr/share/zoneinfo/Europe/Berlin\nEurope/Berlin\n');
  });
});
