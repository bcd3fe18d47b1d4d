import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInHost } from '../../src/lab/index.js';
import { assertContract, useLab } from '../helpers/labHarness.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lab');

describe('lab: core modules over real SSH (check mode is a contract, idempotence is a contract)', function () {
  this.timeout(600_000);
  const h = useLab('core', 2);

  it('check mode changes nothing and predicts the real run; the second run changes nothing', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const { check, apply } = await assertContract(lab, host, join(fixtures, 'core.yaml'));
    // the handler ran in the real run because the template changed
    assert.match(apply.out, /RUNNING HANDLER \[reload app\]/);
    // copy/template fail on a missing directory, as Ansible's do: in check mode the directory an
    // earlier task would create is not there, so the template cannot be verified and says why
    assert.match(check.out, /TASK \[app config from a template\] \**\nchanged: \[[^\]]+\] \(check mode: depends on changes earlier tasks would make \(now: Destination directory \/opt\/app does not exist\)\)/);
    assert.match(check.out, /--- etc\/ssh\/sshd_config\n\+\+\+ etc\/ssh\/sshd_config\n@@ .* @@\n(.*\n)*?\+ClientAliveInterval 300/);
    const conf = await runInHost(host, ['cat', '/opt/app/app.conf']);
    assert.equal(conf.stdout, '# managed by kelpie\nlisten = 8080\nname = ' + host.name + '\nuser = alice\nuser = bob\ndebug = False\n');
    const pw = await runInHost(host, ['getent', 'passwd', 'appuser']);
    assert.match(pw.stdout, /^appuser:x:\d+:2001:App User:\/home\/appuser:\/bin\/false$/m);
    const hello = await runInHost(host, ['dpkg-query', '-W', '-f=${Status}', 'hello']);
    assert.equal(hello.stdout, 'install ok installed');
  });

  it('the untouched host stayed untouched (runs were limited to one host)', async () => {
    const lab = h.lab();
    const other = lab.hosts[1]!;
    const r = await runInHost(other, ['test', '-e', '/opt/app']);
    assert.notEqual(r.rc, 0);
  });
});
