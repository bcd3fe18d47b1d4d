import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSemoduleFull, parseSemoduleList } from '../../../src/modules/system/selinuxStore.js';
import { CORE_MODULES, modulesForPackages } from '../../../src/modules/system/selinuxModuleMap.js';
import xenVcpus, { setConfigVcpus } from '../../../src/modules/system/xen_vcpus.js';
import { parseXen } from '../../../src/facts/xen.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('selinux: semodule listings (captured on a Debian 12 lab host)', () => {
  it('reads --list-modules=full with priorities and the disabled flag of the active instance', () => {
    const m = parseSemoduleFull('400 ntp             pp disabled\n100 ntp             pp disabled\n100 ssh             pp         \n100 apache          pp         \n');
    assert.deepEqual(m.get('ntp'), { name: 'ntp', priorities: [400, 100], enabled: false });
    assert.deepEqual(m.get('ssh'), { name: 'ssh', priorities: [100], enabled: true });
  });
  it('reads the old -l format', () => {
    const m = parseSemoduleList('apache\t2.1.0\nntp\t1.10.0\tDisabled\n');
    assert.equal(m.get('ntp')!.enabled, false);
    assert.equal(m.get('apache')!.enabled, true);
  });
  it('maps packages to the modules their applications need, never core ones', () => {
    assert.deepEqual(modulesForPackages(['postfix', 'openssh-server', 'xserver-xorg-core', 'mariadb-server', 'bash']), ['mysql', 'postfix', 'ssh', 'xserver']);
    assert.ok(CORE_MODULES.has('base') && CORE_MODULES.has('unconfined'));
  });
});

describe('xen_vcpus', () => {
  it('replaces the vcpus line keeping everything else byte-identical, or appends one', () => {
    const cfg = "name = 'lenny32'\nmemory = 512\nvcpus=1   # one\ndisk = []\n";
    assert.equal(setConfigVcpus(cfg, 2), "name = 'lenny32'\nmemory = 512\nvcpus=2   # one\ndisk = []\n");
    assert.equal(setConfigVcpus("name = 'x'", 2), "name = 'x'\nvcpus = 2\n");
    assert.equal(setConfigVcpus("name = 'x'\nmaxvcpus = 4\n", 2), "name = 'x'\nmaxvcpus = 4\nvcpus = 2\n");
  });
  it('refuses more than max VCPUs with the reason', () => {
    assert.match(xenVcpus.check!({ domain: 'lenny32', vcpus: 4, max: 2, live: true, config: undefined })!, /cap is max=2/);
    assert.equal(xenVcpus.check!({ domain: 'lenny32', vcpus: 4, max: 4, live: true, config: undefined }), undefined);
  });
  it('the replayed xl gives the seed accounting: Domain-0 7.70%, demo 0.06%, lenny32 2.07%, unstable 0.30%', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xen-standin-'));
    mkdirSync(join(dir, 'bin'));
    symlinkSync(join(ROOT, 'src/lab/standins/xen-tools.py'), join(dir, 'bin', 'xl'));
    const run = (...a: string[]): string => {
      const r = spawnSync(join(dir, 'bin', 'xl'), a, { env: { ...process.env, KELPIE_STANDIN_DIR: dir }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const facts = parseXen(`::tool::\nxl\n::list::\n${run('list')}::uptime::\n${run('uptime')}`);
    const pct = Object.fromEntries((facts.xen_domains as { name: string; cpu_percent_of_one: number }[]).map((d) => [d.name, d.cpu_percent_of_one.toFixed(2)]));
    assert.deepEqual(pct, { 'Domain-0': '7.70', demo: '0.06', lenny32: '2.07', unstable: '0.30' });
  });
});
