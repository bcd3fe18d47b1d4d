import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { labDown, type LabHost } from '../../src/lab/index.js';
import { runWithInventory, useLab } from '../helpers/labHarness.js';

/** sshd's "Accepted publickey … from ADDR" lines in a lab host's log: one per ssh connection. */
function acceptedFrom(h: LabHost): string[] {
  const log = readFileSync(join(dirname(h.upperDir), 'log'), 'utf8');
  return [...log.matchAll(/Accepted publickey for root from (\S+) port/g)].map((m) => m[1]!);
}

/** How a TCP connect from the controller ends: the error code, or 'connected'. */
function tcpFromController(address: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port: 22, timeout: 5000 });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.once('timeout', () => {
      s.destroy();
      resolve('timeout');
    });
  });
}

const PLAYBOOK = `- hosts: behind
  gather_facts: false
  tasks:
    - name: who answers
      command: hostname
      register: who
      changed_when: false
    - name: mark the host
      copy: {dest: /root/reached-via-bastion, content: "{{ inventory_hostname }}\\n"}
`;

describe('lab: ProxyJump, 20 targets behind one bastion on a second network', function () {
  this.timeout(600_000);
  const h = useLab('proxyjump', 21, { behind: 20 });

  it('the controller cannot reach the targets; a run through the bastion reaches all 20 over ONE connection to it', async () => {
    const lab = h.lab();
    const [bastion, ...targets] = lab.hosts;
    assert.ok(bastion && targets.length === 20 && targets.every((t) => t.via === bastion.name));
    assert.equal(await tcpFromController(bastion.address), 'connected');
    const direct = await Promise.all(targets.map((t) => tcpFromController(t.address)));
    assert.deepEqual([...new Set(direct)], ['EHOSTUNREACH'], 'no target is reachable from the controller');

    // what a user writes: host names only, the ssh_config says how to reach them
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-proxyjump-'));
    const inventory = join(dir, 'hosts.ini');
    writeFileSync(inventory, `[behind]\n${targets.map((t) => t.name).join('\n')}\n`);
    const playbook = join(dir, 'site.yml');
    writeFileSync(playbook, PLAYBOOK);

    const bastionBefore = acceptedFrom(bastion).length;
    const first = await runWithInventory(inventory, playbook, ['--ssh-config', lab.sshConfigFile]);
    assert.equal(first.code, 0, first.err + first.out);
    const who = first.report.plays[0]!.tasks[0]!.hosts;
    for (const t of targets) assert.equal(who[t.name]?.result.stdout, t.name, `${t.name} answered as itself`);
    for (const t of targets) assert.deepEqual(first.report.stats[t.name], { ...first.report.stats[t.name], ok: 2, changed: 1, failed: 0, unreachable: 0 });
    assert.equal(acceptedFrom(bastion).length - bastionBefore, 1, 'the bastion saw one ssh connection from the controller');
    // every target's one connection came from the bastion's address on the back network
    for (const t of targets) assert.deepEqual(acceptedFrom(t), [bastion.backAddress], t.name);

    const again = await runWithInventory(inventory, playbook, ['--ssh-config', lab.sshConfigFile]);
    assert.equal(again.code, 0, again.err);
    assert.equal(Object.values(again.report.stats).reduce((n, s) => n + s.changed, 0), 0, 'second run changed nothing');
    assert.equal(acceptedFrom(bastion).length - bastionBefore, 2, 'one more connection to the bastion for the second run, not twenty');
  });

  it('errors say which hop failed: the bastion itself, or a target behind it', async () => {
    const lab = h.lab();
    const bastion = lab.hosts[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-proxyjump-err-'));
    const playbook = join(dir, 'site.yml');
    writeFileSync(playbook, '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n');
    // the bastion on a port where nothing listens
    const badBastion = join(dir, 'ssh_config');
    writeFileSync(badBastion, readFileSync(lab.sshConfigFile, 'utf8').replace(`Host ${bastion.name} ${bastion.address}\n  HostName ${bastion.address}\n  Port 22`, `Host ${bastion.name} ${bastion.address}\n  HostName ${bastion.address}\n  Port 2`));
    const inv = join(dir, 'hosts.ini');
    writeFileSync(inv, `${lab.hosts[1]!.name}\n${lab.hosts[2]!.name}\n`);
    const down = await runWithInventory(inv, playbook, ['--ssh-config', badBastion]);
    assert.equal(down.code, 4, down.out);
    assert.match(down.out + down.err, new RegExp(`jump host ${bastion.name} \\(${bastion.address.replace(/\./g, '\\.')}:2\\): cannot connect: connect ECONNREFUSED`));
    // a target address nobody answers on, behind a working bastion
    const ghost = join(dir, 'ghost.ini');
    const ghostAddress = bastion.backAddress!.replace(/\.\d+$/, '.250');
    writeFileSync(ghost, `ghost ansible_host=${ghostAddress} ansible_ssh_common_args='-J ${bastion.name}'\n`);
    const lost = await runWithInventory(ghost, playbook, ['--ssh-config', lab.sshConfigFile, '-T', '5']);
    assert.equal(lost.code, 4, lost.out);
    assert.match(lost.out + lost.err, new RegExp(`ghost \\(${ghostAddress.replace(/\./g, '\\.')}:22\\): (cannot connect through|timed out after 5s connecting through) jump host ${bastion.name}`));
  });

  it('lab down removes the back network too: its bridge, its unreachable route, every netns', async () => {
    const lab = h.lab();
    const index = lab.hosts[0]!.backAddress!.split('.')[2];
    await labDown('proxyjump');
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    assert.ok(!links.includes(`klab${index}b:`), 'back bridge left');
    assert.ok(!execFileSync('ip', ['route', 'show', 'type', 'unreachable'], { encoding: 'utf8' }).includes(`10.204.${index}.0/24`), 'unreachable route left');
    const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    for (const host of lab.hosts) assert.ok(!ns.includes(host.netns), `netns ${host.netns} left`);
  });
});
