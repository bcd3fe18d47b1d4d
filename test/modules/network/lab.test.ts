/**
 * Network, IPVS and Xen modules on real lab hosts through the real CLI: check mode on a
 * fresh host changes nothing (upper dir, ip addr/rule/route) and predicts exactly the
 * tasks the real run then changes; the second run changes nothing. ip is real; ipvsadm
 * (when the kernel lacks ip_vs) and xl are replayed stand-ins.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots, labDown, labPrerequisites, labUp, runInHost, snapshotUpper, type Lab, type LabHost } from '../../../src/lab/index.js';
import { installStandins } from '../../../src/lab/standins/install.js';

const LAB = 'net';
const ROOT = join(import.meta.dirname, '..', '..', '..');
const XEN_CFG = "name = 'lenny32'\nmemory = 512\nvcpus = 1 # one for now\ndisk = ['phy:/dev/vg0/lenny32,xvda,w']\n";
const BOOKS = join(ROOT, 'test', 'fixtures', 'playbooks-net');

interface Report {
  exit_code: number;
  plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[];
}

async function kelpie(lab: Lab, book: string, extra: string[]): Promise<{ rc: number; out: string; report: Report }> {
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-net-'));
  const json = join(dir, 'report.json');
  const args = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'playbook', join(BOOKS, book), '-i', lab.inventoryFile, '--json', json, ...extra];
  const { rc, out } = await new Promise<{ rc: number; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ rc: code ?? 255, out }));
  });
  const report = JSON.parse(await readFile(json, 'utf8').catch(() => '{"exit_code":-1,"plays":[]}')) as Report;
  return { rc, out, report };
}

/** Task names per host whose status is `changed`. */
function changed(r: Report, host: string): string[] {
  return r.plays.flatMap((p) => p.tasks).filter((t) => t.hosts[host]?.status === 'changed').map((t) => t.name);
}

/** Everything a run wrote on the host (the stand-ins write only for changing calls). */
async function hostChanges(h: LabHost, before: Map<string, string>): Promise<string[]> {
  return diffSnapshots(before, await snapshotUpper(h));
}

/** Calls that would change IPVS or Xen state, from the stand-ins' log. */
async function mutatingCalls(h: LabHost): Promise<string[]> {
  const text = await readFile(join(h.rootDir, 'var/lib/kelpie-standin/calls.log'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => /"-[AEDaedCR]"|"vcpu-set"/.test(l));
}

async function netState(h: LabHost): Promise<string> {
  const parts: string[] = [];
  // IPv4 only: a fresh host's IPv6 link-local address leaves DAD "tentative" on its own meanwhile.
  for (const argv of [['ip', '-4', '-o', 'addr'], ['ip', 'rule'], ['ip', '-4', 'route', 'show', 'table', 'all']]) parts.push((await runInHost(h, argv)).stdout);
  return parts.join('\n---\n');
}

/** Real ip_vs if this kernel has it, else the replayed stand-in. */
async function ipvsReal(h: LabHost): Promise<boolean> {
  const r = await runInHost(h, ['sh', '-c', 'command -v ipvsadm >/dev/null && ipvsadm -L -n']);
  return r.rc === 0;
}

describe('network modules on lab hosts (ip real; ipvsadm and xl replayed)', function () {
  this.timeout(10 * 60_000);
  let lab: Lab | undefined;
  let h: LabHost;
  let gw: string;

  before(async function () {
    const pre = await labPrerequisites();
    if (!pre.ok) {
      if (process.env.CI === 'true') throw new Error(`lab prerequisites missing under CI: ${pre.missing.join(', ')}`);
      console.warn(`\n!!!!! SKIPPING NETWORK LAB TESTS: missing ${pre.missing.join(', ')} !!!!!\n`);
      this.skip();
    }
    lab = await labUp(1, { name: LAB });
    h = lab.hosts[0]!;
    gw = h.address.replace(/\.\d+$/, '.1');
    const standins = (await ipvsReal(h)) ? ['xl', 'xm', 'xen-dom0'] : ['ipvsadm', 'xl', 'xm', 'xen-dom0'];
    await installStandins(h, standins);
    await mkdir(join(h.rootDir, 'etc/xen'), { recursive: true });
    await writeFile(join(h.rootDir, 'etc/xen/lenny32.cfg'), XEN_CFG);
  });

  after(async () => {
    if (lab) await labDown(LAB);
  });

  it('ip_address/ip_rule/ip_route: check mode is honest, first run changes, second run is ok', async () => {
    const snap0 = await snapshotUpper(h);
    const net0 = await netState(h);
    const check = await kelpie(lab!, 'net.yaml', ['--check', '--diff', '-e', `gw=${gw}`]);
    assert.equal(check.rc, 0, check.out);
    assert.deepEqual(await hostChanges(h, snap0), [], 'check mode wrote files');
    assert.equal(await netState(h), net0, 'check mode changed ip state');
    const predicted = changed(check.report, h.name);
    assert.deepEqual(predicted, ['service address on lo:0', 'return traffic uses table 1', 'default route of table 1']);

    const first = await kelpie(lab!, 'net.yaml', ['-e', `gw=${gw}`]);
    assert.equal(first.rc, 0, first.out);
    assert.deepEqual(changed(first.report, h.name), predicted);
    assert.match((await runInHost(h, ['ip', '-o', 'addr', 'show', 'dev', 'lo'])).stdout, /inet 10\.0\.0\.5\/32 scope global lo:0/);
    assert.match((await runInHost(h, ['ip', 'rule'])).stdout, /from 10\.0\.1\.5 lookup 1/);
    assert.match((await runInHost(h, ['ip', 'route', 'show', 'table', '1'])).stdout, new RegExp(`default via ${gw.replace(/\./g, '\\.')} dev eth0`));
    const ifaces = await readFile(join(h.rootDir, 'etc/network/interfaces'), 'utf8');
    assert.match(ifaces, /auto lo\niface lo inet loopback\n\s+up ip addr add 10\.0\.0\.5\/32 dev lo label lo:0 \|\| true\n\s+down ip addr del 10\.0\.0\.5\/32 dev lo label lo:0 \|\| true\n/);
    assert.match(ifaces, /iface eth0 inet manual\n\s+up ip rule add from 10\.0\.1\.5 table 1 \|\| true\n/);

    const second = await kelpie(lab!, 'net.yaml', ['-e', `gw=${gw}`]);
    assert.equal(second.rc, 0, second.out);
    assert.deepEqual(changed(second.report, h.name), []);
  });

  it('ipvs (replayed ipvsadm unless ip_vs exists) and xen_vcpus (replayed xl): check, run, rerun', async () => {
    const snap0 = await snapshotUpper(h);
    const check = await kelpie(lab!, 'ipvs.yaml', ['--check', '--diff']);
    assert.equal(check.rc, 0, check.out);
    assert.deepEqual(await hostChanges(h, snap0), [], 'check mode wrote files');
    assert.deepEqual(await mutatingCalls(h), [], 'check mode asked a stand-in to change something');
    const predicted = changed(check.report, h.name);
    assert.deepEqual(predicted, ['SMTP virtual service', 'xen vcpus for lenny32 (replayed xl)']);

    const first = await kelpie(lab!, 'ipvs.yaml', []);
    assert.equal(first.rc, 0, first.out);
    assert.deepEqual(changed(first.report, h.name), predicted);
    assert.deepEqual((await mutatingCalls(h)).length, 4, 'one -A, two -a, one vcpu-set');
    const list = (await runInHost(h, ['ipvsadm', '-L', '-n'])).stdout;
    assert.match(list, /^TCP {2}10\.0\.0\.5:25 lblc persistent 300$/m);
    assert.match(list, /^ {2}-> 10\.0\.1\.5:25 +Masq +1 /m);
    assert.match(list, /^ {2}-> 10\.0\.1\.6:26 +Route +3 /m);
    const rules = await readFile(join(h.rootDir, 'etc/ipvsadm.rules'), 'utf8');
    assert.match(rules, /^# ipvsadm.rules\n-A -t 10\.0\.0\.5:25 -s lblc -p 300\n/);
    assert.match((await runInHost(h, ['xl', 'list', 'lenny32'])).stdout, /^lenny32 +3 +512 +2 /m);
    assert.equal(await readFile(join(h.rootDir, 'etc/xen/lenny32.cfg'), 'utf8'), "name = 'lenny32'\nmemory = 512\nvcpus = 2 # one for now\ndisk = ['phy:/dev/vg0/lenny32,xvda,w']\n");

    const second = await kelpie(lab!, 'ipvs.yaml', []);
    assert.equal(second.rc, 0, second.out);
    assert.deepEqual(changed(second.report, h.name), []);
  });
});
