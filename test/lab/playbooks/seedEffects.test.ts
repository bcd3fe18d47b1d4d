/**
 * What the seed playbooks do to a host, proven on lab hosts: each play's check/real/rerun
 * contract, then its own `--tags verify` tasks, then the host's own tools. Xen is a
 * replayed dom0 (no hypervisor here; the stand-in refuses vcpu-set above a domain's VCPU
 * slots with real Xen's words); time zone, SELinux (the real semodule and Debian 12's
 * policy store) and the exec-stack fix run for real. One lab for the whole file.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInHost, type Lab } from '../../../src/lab/index.js';
import { prepareRoles, type DemoRole } from '../../../src/lab/demoLayout.js';
import { withGroups } from '../../helpers/roleLab.js';
import { assertContract, changedTasks, runPlaybook, useLab, type PlaybookRun } from '../../helpers/labHarness.js';
import { runCli } from '../../helpers/runCli.js';
import { CORE_MODULES, mappedModules } from '../../../src/modules/system/selinuxModuleMap.js';

const playbooks = join(dirname(fileURLToPath(import.meta.url)), '../../../playbooks');
const pb = (name: string): string => join(playbooks, name);

/** The verify tasks ran, none failed, and they changed nothing. */
function assertVerified(run: PlaybookRun, host: string): void {
  assert.equal(run.code, 0, `--tags verify failed:\n${run.out}\n${run.err}`);
  const verify = run.report.plays.flatMap((p) => p.tasks).filter((t) => /^verify: /.test(t.name) && t.hosts[host]);
  assert.ok(verify.length > 0, 'the playbook has verify tasks and they ran');
  for (const t of verify) assert.notEqual(t.hosts[host]!.status, 'failed', t.name);
  assert.deepEqual(changedTasks(run.report, host), [], 'verify changes nothing');
}

describe('lab: the seed playbooks prove their effect (--tags verify and the host\'s own tools)', function () {
  this.timeout(900_000);
  const h = useLab('seedfx', 3);
  const ROLES: DemoRole[][] = [['xen_dom0', 'selinux'], ['mail'], ['centos']];
  let lab: Lab;

  before(async function () {
    this.timeout(60_000);
    const raw = h.lab();
    for (const [i, host] of raw.hosts.entries()) await prepareRoles(host, ROLES[i] ?? []);
    lab = withGroups(raw, ROLES, 'effects-inventory.yaml');
  });

  it('xen-vcpus (replayed dom0): vcpu-set above the slots is refused as real Xen does; the play limits unstable 4 → 2 live, gives lenny32 vcpus = maxvcpus = 2 in its config and says it needs a restart; quiet demo keeps its VCPU', async () => {
    const host = lab.hosts[0]!;
    const refused = await runInHost(host, ['xl', 'vcpu-set', 'lenny32', '2']);
    assert.equal(refused.rc, 1);
    assert.equal(refused.stderr, 'libxl: error: libxl_domain.c:1869:libxl_set_vcpuonline: Domain 3:Requested 2 VCPUs, however maxcpus is 1!: Function not implemented\nlibxl_set_vcpuonline failed domid=3 max_vcpus=2, rc: -3\n');
    const { check, apply, rerun } = await assertContract(lab, host, pb('xen-vcpus.yaml'));
    assert.match(apply.out, /lenny32 uses 2\.07% of one CPU/);
    assert.match(check.out, /lenny32 needs a reboot for 2 VCPUs: it was started with 1 VCPU slot/);
    assert.match(rerun.out, /lenny32: restart with xl shutdown -w lenny32 && xl create \/etc\/xen\/lenny32\.cfg/);
    const cfg = (n: string): Promise<string> => runInHost(host, ['cat', `/etc/xen/${n}.cfg`]).then((r) => r.stdout);
    assert.equal(await cfg('lenny32'), 'name = "lenny32"\nmemory = 256\nvcpus = 2\nmaxvcpus = 2\n');
    assert.equal(await cfg('unstable'), 'name = "unstable"\nmemory = 256\nvcpus = 2\n');
    assert.equal(await cfg('demo'), 'name = "demo"\nmemory = 128\nvcpus = 1\n');
    const live = (await runInHost(host, ['xl', 'list'])).stdout;
    assert.match(live, /^lenny32\s+3\s+\d+\s+1\s/m, 'lenny32 keeps its one live VCPU until a restart');
    assert.match(live, /^unstable\s+4\s+\d+\s+2\s/m, 'unstable limited to the cap, live');
    assert.match(live, /^demo\s+1\s+\d+\s+1\s/m);
    assertVerified(await runPlaybook(lab, pb('xen-vcpus.yaml'), ['--tags', 'verify'], host.name), host.name);
    // the restart the play asked for: from the config, lenny32 comes up with 2 VCPUs
    for (const c of [['xl', 'shutdown', '-w', 'lenny32'], ['xl', 'create', '/etc/xen/lenny32.cfg']]) assert.equal((await runInHost(host, c)).rc, 0);
    assert.match((await runInHost(host, ['xl', 'list', 'lenny32'])).stdout, /^lenny32\s+\d+\s+\d+\s+2\s/m);
    assertVerified(await runPlaybook(lab, pb('xen-vcpus.yaml'), ['--tags', 'verify'], host.name), host.name);
  });

  it('xen-vcpus with a cap of 1 (replayed dom0): check mode and the real run agree, nothing fails', async () => {
    const host = lab.hosts[0]!;
    const check = await runPlaybook(lab, pb('xen-vcpus.yaml'), ['--check', '-e', 'xen_vcpu_cap=1'], host.name);
    assert.equal(check.code, 0, check.out);
    const real = await runPlaybook(lab, pb('xen-vcpus.yaml'), ['-e', 'xen_vcpu_cap=1'], host.name);
    assert.equal(real.code, 0, real.out);
    assert.deepEqual(changedTasks(real.report, host.name), changedTasks(check.report, host.name));
    assert.match((await runInHost(host, ['xl', 'list'])).stdout, /^unstable\s+4\s+\d+\s+1\s/m);
    assertVerified(await runPlaybook(lab, pb('xen-vcpus.yaml'), ['--tags', 'verify', '-e', 'xen_vcpu_cap=1'], host.name), host.name);
  });

  it('kelpie facts --xen (replayed dom0): xen_domains is a flat list beside xen_toolstack', async () => {
    const host = lab.hosts[0]!;
    const r = await runCli(['facts', host.name, '-i', lab.inventoryFile, '--xen']);
    assert.equal(r.code, 0, r.err);
    const facts = (JSON.parse(r.out) as Record<string, { ansible_facts: Record<string, unknown> }>)[host.name]!.ansible_facts;
    assert.equal(facts.xen_toolstack, 'xl');
    assert.ok(Array.isArray(facts.xen_domains), JSON.stringify(facts.xen_domains));
    assert.deepEqual((facts.xen_domains as { name: string }[]).map((d) => d.name).slice(0, 2), ['Domain-0', 'demo']);
  });

  it('timezone-utc: America/Los_Angeles → Etc/GMT on Debian and on a replayed CentOS 5; diff and message show both offsets; date +%z is +0000 (verify)', async () => {
    for (const host of [lab.hosts[1]!, lab.hosts[2]!]) {
      await runInHost(host, ['sh', '-c', 'ln -sfn /usr/share/zoneinfo/America/Los_Angeles /etc/localtime && if [ -f /etc/redhat-release ]; then :; else echo America/Los_Angeles > /etc/timezone; fi']);
      const { check, apply } = await assertContract(lab, host, pb('timezone-utc.yaml'));
      assert.match(check.out, /^-offset: UTC-0[78]:00$/m, 'the diff shows the old offset');
      assert.match(check.out, /^\+name: Etc\/GMT\n(?: offset|\+offset): UTC\+00:00$/m, 'and the new one');
      assert.match(JSON.stringify(apply.report), /timezone changed from America\/Los_Angeles \(UTC-0[78]:00\) to Etc\/GMT \(UTC\+00:00\)/);
      assert.equal((await runInHost(host, ['date', '+%z'])).stdout, '+0000\n');
      assertVerified(await runPlaybook(lab, pb('timezone-utc.yaml'), ['--tags', 'verify'], host.name), host.name);
    }
    assert.match((await runInHost(lab.hosts[2]!, ['cat', '/etc/sysconfig/clock'])).stdout, /^ZONE="Etc\/GMT"$/m);
  });

  it('timezone-utc: Etc/GMT+10 is set with a warning that it is UTC-10 (date +%z -1000); Etc/GMT+14 fails with a same-sign hint; Europe/London is refused (summer time)', async () => {
    const host = lab.hosts[1]!;
    const ten = await runPlaybook(lab, pb('timezone-utc.yaml'), ['--diff', '-e', 'timezone_name=Etc/GMT+10'], host.name);
    assert.equal(ten.code, 0, ten.out);
    assert.match(ten.out, /Etc\/GMT\+10 is UTC-10, 10 hours BEHIND UTC/);
    assert.match(ten.out, /^\+offset: UTC-10:00$/m);
    assert.equal((await runInHost(host, ['date', '+%z'])).stdout, '-1000\n');
    assertVerified(await runPlaybook(lab, pb('timezone-utc.yaml'), ['--tags', 'verify', '-e', 'timezone_name=Etc/GMT+10'], host.name), host.name);
    const fourteen = await runPlaybook(lab, pb('timezone-utc.yaml'), ['-e', 'timezone_name=Etc/GMT+14'], host.name);
    assert.equal(fourteen.code, 2);
    assert.match(fourteen.out, /did you mean 'Etc\/GMT\+12'\? Etc\/GMT\+N is UTC-N/);
    assert.doesNotMatch(fourteen.out, /did you mean 'Etc\/GMT-14'/);
    const london = await runPlaybook(lab, pb('timezone-utc.yaml'), ['-e', 'timezone_name=Europe/London'], host.name);
    assert.equal(london.code, 2);
    assert.match(london.out, /refusing time zone 'Europe\/London': it has summer time \(UTC\+00:00 in January, UTC\+01:00 in July\)/);
    assert.equal((await runInHost(host, ['date', '+%z'])).stdout, '-1000\n', 'the refused zone changed nothing');
    const back = await runPlaybook(lab, pb('timezone-utc.yaml'), [], host.name);
    assert.equal(back.code, 0, back.out);
    assert.equal((await runInHost(host, ['date', '+%z'])).stdout, '+0000\n');
  });

  it('selinux-modules (the real semodule, Debian 12 policy): a disabled module of an installed application is enabled; remove_unused succeeds, keeping what loaded modules use; semodule -l then lists exactly what is needed, enabled', async function () {
    this.timeout(1_800_000); // every policy rebuild takes about a minute on 2 busy cores
    const host = lab.hosts[0]!;
    await assertContract(lab, host, pb('selinux-modules.yaml'));
    const enabledModules = async (): Promise<Map<string, boolean>> =>
      new Map((await runInHost(host, ['semodule', '--list-modules=full'])).stdout.split('\n').filter(Boolean).map((l) => { const w = l.trim().split(/\s+/); return [w[1]!, w[3] !== 'disabled'] as [string, boolean]; }));
    // spamc brings the application whose module is spamassassin (a module no other one uses,
    // so it can be disabled: disabling ssh fails, nx and rssh use it)
    assert.equal((await runInHost(host, ['apt-get', 'install', '-y', '-q', 'spamc'])).rc, 0);
    const disable = await runInHost(host, ['semodule', '-d', 'spamassassin']);
    assert.equal(disable.rc, 0, disable.stderr);
    assert.equal((await enabledModules()).get('spamassassin'), false);
    const { check: enableCheck } = await assertContract(lab, host, pb('selinux-modules.yaml'));
    assert.match(enableCheck.out, /^-spamassassin \(disabled\)$/m);
    assert.match(enableCheck.out, /^\+spamassassin$/m);
    assert.equal((await enabledModules()).get('spamassassin'), true, 'spamassassin (spamc is installed) enabled again');
    assertVerified(await runPlaybook(lab, pb('selinux-modules.yaml'), ['--tags', 'verify'], host.name), host.name);

    const remove = ['-e', 'selinux_remove_unused=true'];
    const { apply } = await assertContract(lab, host, pb('selinux-modules.yaml'), remove);
    assert.doesNotMatch(apply.out + apply.err, /Failed to resolve/);
    const task = apply.report.plays.flatMap((p) => p.tasks).find((t) => t.name === 'policy modules follow the installed applications')!;
    const result = task.hosts[host.name]!.result as { wanted: string[]; removed: string[]; kept_for_dependencies: Record<string, string[]> };
    assert.ok(result.removed.length > 0, 'unused application modules removed');
    assert.ok(result.removed.includes('awstats'), 'awstats (absent) goes');
    assert.ok(result.kept_for_dependencies.apache?.includes('webadm'), 'apache stays: the core webadm module uses it');
    assert.match(apply.out, /keeping .*\(used by /, 'says which modules stay for others and why');
    const store = await enabledModules();
    const needed = new Set([...result.wanted, ...Object.keys(result.kept_for_dependencies)]);
    for (const m of mappedModules()) {
      if (CORE_MODULES.has(m)) continue;
      assert.equal(store.has(m), needed.has(m), `${m}: loaded iff an installed application (or a loaded module) needs it`);
      if (needed.has(m)) assert.equal(store.get(m), true, `${m} enabled`);
    }
    assertVerified(await runPlaybook(lab, pb('selinux-modules.yaml'), ['--tags', 'verify', ...remove], host.name), host.name);
  });

  it('exec-stack-audit: findings are reported (in --check too, the report file rewritten), never "changed"; fail_on_findings fails the run; exec_stack_fix clears the flag and the library still loads (verify)', async () => {
    const host = lab.hosts[1]!;
    const dir = '/usr/lib/x86_64-linux-gnu';
    // two copies of a real library: one whose PT_GNU_STACK asks for an executable stack
    // (RWE, as an assembler file without .note.GNU-stack leaves it), one with no such header
    const plant = String.raw`import struct, sys
src = sys.argv[1]
b = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32); phsz, phn = struct.unpack_from('<HH', b, 54)
for i in range(phn):
    o = phoff + i * phsz
    if struct.unpack_from('<I', b, o)[0] == 0x6474e551:
        rwe = bytearray(b); struct.pack_into('<I', rwe, o + 4, 7); open(sys.argv[2], 'wb').write(rwe)
        none = bytearray(b); struct.pack_into('<I', none, o, 0); open(sys.argv[3], 'wb').write(none)
`;
    const planted = await runInHost(host, ['python3', '-c', plant, `${dir}/libz.so.1`, `${dir}/libkelpie-rwe.so.1`, `${dir}/libkelpie-nostack.so.1`]);
    assert.equal(planted.rc, 0, planted.stderr);
    const reportDir = join(lab.stateDir, 'exec-stack');
    const report = join(reportDir, `${host.name}.txt`);
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(report, '# stale report from an earlier run\n');
    const vars = ['-e', `exec_stack_report_dir=${reportDir}`];

    const check = await runPlaybook(lab, pb('exec-stack-audit.yaml'), ['--check', ...vars], host.name);
    assert.equal(check.code, 0, check.out);
    assert.deepEqual(changedTasks(check.report, host.name), [], 'findings are not changes');
    const checkReport = readFileSync(report, 'utf8');
    assert.match(checkReport, /check mode\)\n/);
    assert.match(checkReport, new RegExp(`^${dir}/libkelpie-rwe\\.so\\.1$`, 'm'));
    assert.match(checkReport, new RegExp(`^${dir}/libkelpie-nostack\\.so\\.1 \\(no PT_GNU_STACK\\)$`, 'm'));

    const ci = await runPlaybook(lab, pb('exec-stack-audit.yaml'), [...vars, '-e', 'exec_stack_fail_on_findings=true'], host.name);
    assert.equal(ci.code, 2, 'a CI job fails on findings');
    assert.match(ci.out, /2 shared object\(s\) still ask for an executable stack: .*libkelpie-nostack/);

    const fix = [...vars, '-e', 'exec_stack_fix=true'];
    const { check: fixCheck } = await assertContract(lab, host, pb('exec-stack-audit.yaml'), fix);
    assert.match(fixCheck.out, /-GNU_STACK RWE\n\+GNU_STACK RW\n/);
    const finalReport = readFileSync(report, 'utf8');
    assert.match(finalReport, /^# still asking for an executable stack: 1$/m, 'after the fix only the object without PT_GNU_STACK is left');
    assert.doesNotMatch(finalReport, /libkelpie-rwe/);
    const flags = await runInHost(host, ['python3', '-c', "import struct,sys; b=open(sys.argv[1],'rb').read(); o=struct.unpack_from('<Q',b,32)[0]; s,n=struct.unpack_from('<HH',b,54); print([struct.unpack_from('<I',b,o+i*s+4)[0] for i in range(n) if struct.unpack_from('<I',b,o+i*s)[0]==0x6474e551])", `${dir}/libkelpie-rwe.so.1`]);
    assert.equal(flags.stdout, '[6]\n', 'PT_GNU_STACK is RW now');
    const loads = await runInHost(host, ['env', `LD_PRELOAD=${dir}/libkelpie-rwe.so.1`, '/bin/true']);
    assert.equal(loads.rc, 0, `the library still loads: ${loads.stderr}`);
    assert.equal(loads.stderr, '');
    assertVerified(await runPlaybook(lab, pb('exec-stack-audit.yaml'), ['--tags', 'verify', ...fix], host.name), host.name);
  });

  it('process-limits (the seed\'s CPU-vs-RAM post): Postfix default_process_limit computed from the host\'s RAM, the arithmetic in the message; main.cf has it, postfix check accepts it, the reloaded Postfix runs (verify)', async () => {
    const host = lab.hosts[1]!;
    const install = await runInHost(host, ['sh', '-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null && service postfix start >/dev/null 2>&1; postfix status']);
    assert.equal(install.rc, 0, install.stdout + install.stderr);
    const memKb = Number(/^MemTotal:\s+(\d+) kB/m.exec((await runInHost(host, ['cat', '/proc/meminfo'])).stdout)![1]);
    const mem = Math.floor(memKb / 1024);
    const reserved = Math.max(256, Math.floor(mem / 4));
    const limit = Math.floor((mem - reserved) / 20);
    const { check, apply } = await assertContract(lab, host, pb('process-limits.yaml'));
    assert.match(check.out, new RegExp(`default_process_limit = \\(${mem} MB RAM - ${reserved} MB reserved\\) / 20 MB per process = ${limit}`));
    assert.deepEqual(changedTasks(apply.report, host.name), [`Postfix default_process_limit = (${mem} - ${reserved}) MB / 20 MB = ${limit}`, 'handler: reload postfix']);
    assert.equal((await runInHost(host, ['postconf', '-h', 'default_process_limit'])).stdout, `${limit}\n`);
    assert.equal((await runInHost(host, ['postfix', 'check'])).rc, 0, 'Postfix accepts the configuration');
    assert.equal((await runInHost(host, ['postfix', 'status'])).rc, 0, 'and runs');
    assertVerified(await runPlaybook(lab, pb('process-limits.yaml'), ['--tags', 'verify'], host.name), host.name);
    // a bigger child per process gives a smaller limit: RAM decides
    const big = await runPlaybook(lab, pb('process-limits.yaml'), ['-e', 'process_limit_mb_per_process=200'], host.name);
    assert.equal(big.code, 0, big.out);
    assert.equal((await runInHost(host, ['postconf', '-h', 'default_process_limit'])).stdout, `${Math.floor((mem - reserved) / 200)}\n`);
  });
});
