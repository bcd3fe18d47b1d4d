import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOptionsFromVars } from '../../src/connection/index.js';
import { parseSshArgs } from '../../src/connection/sshArgs.js';
import { runCli } from '../helpers/runCli.js';

describe('ansible_ssh_common_args / ansible_ssh_extra_args', () => {
  it('reads the -o options that matter, in both spellings, and the short flags', () => {
    const s = parseSshArgs('-o UserKnownHostsFile=/lab/known_hosts -o "StrictHostKeyChecking yes" -oPort=2222 -o ConnectTimeout=7', '-i /k/id -l deploy -o ServerAliveInterval=5 -o ServerAliveCountMax=2');
    assert.deepEqual(s, {
      ignored: [],
      knownHostsFile: '/lab/known_hosts',
      hostKeyChecking: true,
      port: 2222,
      connectTimeoutSec: 7,
      identityFile: '/k/id',
      user: 'deploy',
      serverAliveIntervalSec: 5,
      serverAliveCountMax: 2,
    });
  });

  it('keeps the first value of an option, as ssh does', () => {
    assert.equal(parseSshArgs('-o Port=1 -p 2', '-o Port=3').port, 1);
  });

  it('names what it does not apply instead of dropping it', () => {
    const s = parseSshArgs('-o ControlMaster=auto -o ControlPersist=60s -o ProxyCommand=nc -C -R 80:x:80');
    assert.deepEqual(s.ignored, ['ControlMaster', 'ControlPersist', 'ProxyCommand (not supported: kelpie would connect directly; use ProxyJump)', '-C', '-R (not supported)', '80:x:80 (not supported)']);
  });

  it('refuses a malformed value with what it expected', () => {
    assert.throws(() => parseSshArgs('-o StrictHostKeyChecking=maybe'), /expected yes, no, off, ask or accept-new/);
    assert.throws(() => parseSshArgs('-o Port=abc'), /expected a whole number/);
    assert.throws(() => parseSshArgs('-p'), /needs a value/);
  });

  it('applies under explicit variables and the settings Ansible passes as options (-u, remote_user)', () => {
    const vars = { ansible_ssh_common_args: '-o UserKnownHostsFile=/kh -o StrictHostKeyChecking=accept-new -o User=ops -o Port=2200 -o ServerAliveInterval=4' };
    const o = connectionOptionsFromVars('web1', vars, { hostKeyChecking: true, sshConfigFiles: [] });
    assert.equal(o.knownHostsFile, '/kh');
    assert.equal(o.acceptNewHostKeys, true);
    assert.equal(o.user, 'ops');
    // ansible's ssh plugin puts -o User="<remote_user>" before the common args (plugins/connection/ssh.py _build_command)
    assert.equal(connectionOptionsFromVars('web1', vars, { user: 'cliuser', hostKeyChecking: true, sshConfigFiles: [] }).user, 'cliuser');
    assert.equal(o.port, 2200);
    assert.equal(o.keepaliveIntervalMs, 4000);
    const explicit = connectionOptionsFromVars('web1', { ...vars, ansible_user: 'root', ansible_port: 22 }, {});
    assert.equal(explicit.user, 'root');
    assert.equal(explicit.port, 22);
    // host_key_checking = False in ansible.cfg puts StrictHostKeyChecking=no before the common args
    assert.equal(connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }, { hostKeyChecking: false }).hostKeyChecking, false);
  });

  it('a bad option fails that host with the variable named', () => {
    assert.throws(() => connectionOptionsFromVars('web1', { ansible_ssh_extra_args: '-o Port=x' }, {}), /host 'web1': ansible_ssh_common_args\/ansible_ssh_extra_args: ssh option Port=x: expected a whole number/);
  });
});

describe('the connection and remote_user keywords, and -c', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-connkw-'));
  // a name that resolves nowhere: only a local connection can run the task
  const inv = 'nohost.invalid,';
  const pb = (extra: string): string => {
    const f = join(dir, `pb-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(f, `- hosts: all\n  gather_facts: false\n${extra}  tasks:\n    - command: echo ran-here\n      register: r\n    - debug: {var: r.stdout}\n`);
    return f;
  };

  it('connection: local on a play runs its tasks on the controller', async () => {
    const r = await runCli(['playbook', pb('  connection: local\n'), '-i', inv]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /"r.stdout": "ran-here"/);
  });

  it('-c local does the same, and an ansible_connection variable still wins over it', async () => {
    const r = await runCli(['playbook', pb(''), '-i', inv, '-c', 'local']);
    assert.equal(r.code, 0, r.out + r.err);
    const v = await runCli(['playbook', pb('  vars: {ansible_connection: ssh, ansible_ssh_timeout: 2}\n'), '-i', inv, '-c', 'local']);
    assert.equal(v.code, 4, v.out + v.err);
  });

  it('without either, the host is reached over ssh (and is unreachable here)', async () => {
    const r = await runCli(['playbook', pb('  vars: {ansible_ssh_timeout: 2}\n'), '-i', inv]);
    assert.equal(r.code, 4, r.out + r.err);
  });
});
