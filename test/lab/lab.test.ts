import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  diffSnapshots,
  hostMemoryKiB,
  labDown,
  labInventoryYaml,
  labPrerequisites,
  labStatus,
  labUp,
  runInHost,
  snapshotUpper,
  type Lab,
  type LabHost,
} from '../../src/lab/index.js';
import { isLive } from '../../src/lab/lab.js';
import { listNetns } from '../../src/lab/network.js';
import { readState } from '../../src/lab/state.js';
import { parseDeb822, parseOneLine } from '../../src/lab/mirror.js';

// Unique per process: two test runs at once (several engineers share this machine) must not
// replace each other's lab.
const LAB = `lt${process.pid}`;

interface SshResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** The real OpenSSH client, with the lab key and strict host key checking. */
function ssh(lab: Lab, host: LabHost, user: string, command: string, opts: { knownHosts?: string; tty?: boolean; input?: string } = {}): Promise<SshResult> {
  const args = [
    '-F', '/dev/null',
    '-i', lab.privateKeyFile,
    '-o', `UserKnownHostsFile=${opts.knownHosts ?? lab.knownHostsFile}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'LogLevel=ERROR',
    '-p', String(host.port),
    ...(opts.tty ? ['-tt'] : []),
    `${user}@${host.address}`,
    command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ rc: code ?? 255, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Main-namespace PIDs of the host's processes whose NUL-separated cmdline contains `needle`. */
async function pidsInHost(host: LabHost, needle: string): Promise<number[]> {
  const ns = await readlink(`/proc/${host.pid}/ns/pid`);
  const out: number[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p) || (await readlink(`/proc/${p}/ns/pid`).catch(() => '')) !== ns) continue;
    if ((await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '')).includes(needle)) out.push(Number(p));
  }
  return out;
}

describe('lab: mirror discovery (no host needed)', () => {
  it('reads the main suite and URI from a deb822 sources file, skipping security', () => {
    const text = 'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n\n' +
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n';
    assert.deepEqual(parseDeb822(text), { uri: 'http://mirror.example/debian', suite: 'bookworm' });
  });
  it('reads a one-line sources.list entry', () => {
    assert.deepEqual(parseOneLine('# x\ndeb [arch=amd64] http://m.example/debian bookworm main\n'), { uri: 'http://m.example/debian', suite: 'bookworm' });
  });
});

describe('lab: diffSnapshots (no host needed)', () => {
  it('lists added, removed and changed paths in path order', () => {
    const a = new Map([['etc/a', 'file 0644 0:0 1 x'], ['etc/b', 'dir 0755 0:0'], ['etc/c', 'symlink:x']]);
    const b = new Map([['etc/a', 'file 0644 0:0 1 y'], ['etc/c', 'symlink:x'], ['etc/d', 'whiteout']]);
    assert.deepEqual(diffSnapshots(a, b), ['~ etc/a', '- etc/b', '+ etc/d']);
    assert.deepEqual(diffSnapshots(b, b), []);
  });
});

describe('lab: two real hosts', function () {
  this.timeout(15 * 60_000);
  let lab: Lab | undefined;

  before(async function () {
    const pre = await labPrerequisites();
    if (!pre.ok) {
      if (process.env.CI === 'true') throw new Error(`lab prerequisites missing under CI: ${pre.missing.join(', ')}`);
      console.warn(`\n!!!!! SKIPPING LAB TESTS: missing ${pre.missing.join(', ')} (run .ci/lab-deps.sh as root) !!!!!\n`);
      this.skip();
    }
    lab = await labUp(2, { name: LAB, log: (s) => console.log(`      ${s}`) });
  });

  after(async () => {
    if (lab) await labDown(LAB);
  });

  const hosts = (): [LabHost, LabHost] => {
    const [a, b] = lab!.hosts;
    assert.ok(a && b);
    return [a, b];
  };

  it('accepts root over ssh with the lab key and strict known_hosts, under each host name', async () => {
    for (const h of hosts()) {
      const r = await ssh(lab!, h, 'root', 'hostname; id -un');
      assert.equal(r.rc, 0, r.stderr);
      assert.equal(r.stdout, `${h.name}\nroot\n`);
    }
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const [a, b] = hosts();
    const wrongKey = (await readFile(lab!.knownHostsFile, 'utf8')).split('\n').find((l) => l.startsWith(`${b.address} `))!;
    const file = join(tmpdir(), `kelpie-wrong-known-hosts-${process.pid}`);
    await writeFile(file, wrongKey.replace(b.address, a.address) + '\n');
    const r = await ssh(lab!, a, 'root', 'true', { knownHosts: file });
    assert.equal(r.rc, 255);
    assert.match(r.stderr, /host key|HOST IDENTIFICATION/i);
  });

  it('gives the hosts different addresses on one subnet, and they reach each other', async () => {
    const [a, b] = hosts();
    assert.notEqual(a.address, b.address);
    // root's login shell is bash, whose /dev/tcp opens a TCP connection: no ping in minbase.
    const r = await ssh(lab!, a, 'root', `exec 3<>/dev/tcp/${b.address}/22 && head -c 4 <&3`);
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.stdout, 'SSH-');
    const addr = await runInHost(b, ['ip', '-4', '-o', 'addr', 'show', 'eth0']);
    assert.match(addr.stdout, new RegExp(`inet ${b.address.replace(/\./g, '\\.')}/24`));
  });

  it('has deploy with passwordless sudo and pwuser whose sudo needs the password', async () => {
    const [a] = hosts();
    const d = await ssh(lab!, a, 'deploy', 'sudo -n id -u');
    assert.equal(d.rc, 0, d.stderr);
    assert.equal(d.stdout.trim(), '0');
    assert.equal(d.stderr, '', 'sudo must not warn (e.g. unable to resolve host)');
    const noPw = await ssh(lab!, a, 'pwuser', 'sudo -n id -u');
    assert.notEqual(noPw.rc, 0);
    const pw = await ssh(lab!, a, 'pwuser', 'sudo -S -p "" id -u', { input: 'kelpie\n' });
    assert.equal(pw.rc, 0, pw.stderr);
    assert.equal(pw.stdout.trim(), '0');
  });

  it('leaves no change in the upper dir after plain ssh logins (also with a pty)', async () => {
    const [a] = hosts();
    const before = await snapshotUpper(a);
    assert.equal((await ssh(lab!, a, 'root', 'true')).rc, 0);
    assert.equal((await ssh(lab!, a, 'root', 'true', { tty: true })).rc, 0);
    assert.equal((await ssh(lab!, a, 'deploy', 'sudo -n true')).rc, 0);
    assert.deepEqual(diffSnapshots(before, await snapshotUpper(a)), []);
  });

  it('installs hello from the local repository, and snapshotUpper sees its files', async () => {
    const [, b] = hosts();
    const sources = await runInHost(b, ['sh', '-c', 'cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null']);
    assert.equal(sources.stdout.trim(), 'deb [trusted=yes] file:/srv/repo ./');
    const before = await snapshotUpper(b);
    const r = await ssh(lab!, b, 'root', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q hello');
    assert.equal(r.rc, 0, r.stderr + r.stdout);
    const diff = diffSnapshots(before, await snapshotUpper(b));
    assert.ok(diff.includes('+ usr/bin/hello'), diff.join('\n'));
    assert.ok(diff.includes('~ var/lib/dpkg/status') || diff.includes('+ var/lib/dpkg/status'), diff.join('\n'));
    const hello = await runInHost(b, ['hello']);
    assert.equal(hello.stdout, 'Hello, world!\n');
    // The other host's filesystem is untouched.
    assert.equal((await runInHost(hosts()[0], ['sh', '-c', 'command -v hello || echo none'])).stdout, 'none\n');
  });

  it('reports the lab in labStatus and as an Ansible inventory', async () => {
    const st = await labStatus(LAB);
    assert.ok(st);
    assert.deepEqual(st.hosts.map((h) => h.address), lab!.hosts.map((h) => h.address));
    const inv = parse(labInventoryYaml(st)) as { all: { hosts: Record<string, { ansible_host: string; ansible_user: string }>; vars: { kelpie_known_hosts: string } } };
    assert.deepEqual(Object.keys(inv.all.hosts), lab!.hosts.map((h) => h.name));
    assert.equal(inv.all.hosts[lab!.hosts[0]!.name]?.ansible_user, 'root');
    assert.equal(inv.all.vars.kelpie_known_hosts, lab!.knownHostsFile);
    assert.equal(await readFile(lab!.inventoryFile, 'utf8'), labInventoryYaml(st));
    const kib = await hostMemoryKiB(lab!.hosts[0]!);
    console.log(`      memory of one idle host (PSS of its processes): ${(kib / 1024).toFixed(1)} MiB`);
    assert.ok(kib > 0);
  });

  it("reaps orphaned processes and keeps daemons inside the host's PID namespace", async () => {
    const [a] = hosts();
    // An orphan that exits after its parent is gone must be reaped by the host's PID 1.
    assert.equal((await ssh(lab!, a, 'root', "sh -c 'sleep 0.2 & exit 0'")).rc, 0);
    await new Promise((r) => setTimeout(r, 700));
    const zombies = await runInHost(a, ['ps', '-eo', 'stat=,comm=']);
    assert.ok(!/^Z/m.test(zombies.stdout), zombies.stdout);
    // A daemon detached from the ssh session lives on inside the host...
    const d = await ssh(lab!, a, 'root', 'setsid sleep 4242 </dev/null >/dev/null 2>&1 & echo started');
    assert.equal(d.stdout, 'started\n');
    daemonPids = await pidsInHost(a, 'sleep\u00004242');
    assert.equal(daemonPids.length, 1);
  });

  let daemonPids: number[] = [];

  it('tears down completely: no process, netns, mount, link or state is left', async () => {
    const l = lab!;
    // the lab's own name: labUp put KELPIE_LAB_PREFIX in front of LAB
    const state = await readState(l.name);
    assert.ok(state);
    await labDown(LAB);
    lab = undefined;
    for (const h of l.hosts) assert.equal(await isLive(h.pid), false, `PID ${h.pid} still running`);
    // ...and dies with it.
    for (const p of daemonPids) assert.equal(await isLive(p), false, `daemon ${p} survived labDown`);
    const ns = await listNetns();
    for (const h of l.hosts) assert.ok(!ns.includes(h.netns), `netns ${h.netns} left`);
    const mounts = await readFile('/proc/self/mounts', 'utf8');
    assert.ok(!mounts.includes(l.stateDir), 'a mount under the lab state dir is left');
    const links = (await readFile('/proc/net/dev', 'utf8')).split('\n').map((l) => l.split(':')[0]?.trim());
    for (const link of [state.bridge, ...state.hosts.map((h) => h.veth)]) assert.ok(!links.includes(link), `link ${link} left`);
    assert.equal(await labStatus(LAB), null);
    await labDown(LAB); // safe when nothing is up
  });
});
