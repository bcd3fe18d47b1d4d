import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOptionsFromVars, type ConnectionDefaults } from '../../src/connection/index.js';
import { parseJumpHop } from '../../src/connection/resolve.js';
import { clearSshConfigCache } from '../../src/connection/sshConfig.js';
import { readConfig } from '../../src/cli/config.js';
import type { Io } from '../../src/cli/io.js';
import { connectionDefaultsFor } from '../../src/cli/runSetup.js';

const dir = mkdtempSync(join(tmpdir(), 'kelpie-sshcfg-'));
let n = 0;
/** A fresh ssh_config file (fresh name: the parsed files are cached per run). */
function configFile(text: string): string {
  const f = join(dir, `config-${n++}`);
  writeFileSync(f, text);
  return f;
}
const using = (text: string, more: ConnectionDefaults = {}): ConnectionDefaults => ({ sshConfigFiles: [configFile(text)], ...more });

describe('ssh_config (~/.ssh/config, -F, --ssh-config)', () => {
  afterEach(() => clearSshConfigCache());

  it('a Host alias gives HostName, User, Port, IdentityFile, known_hosts, checking, timeouts and keepalives', () => {
    const d = using(`
Host web1 web1.example
  HostName 10.9.0.5
  User deploy
  Port 2222
  IdentityFile ~/.ssh/id_%h_%r
  UserKnownHostsFile /etc/kelpie/known_hosts /second/ignored
  StrictHostKeyChecking accept-new
  ConnectTimeout 7
  ServerAliveInterval 5
  ServerAliveCountMax 2
`);
    const o = connectionOptionsFromVars('web1', {}, d);
    assert.equal(o.address, '10.9.0.5');
    assert.equal(o.user, 'deploy');
    assert.equal(o.port, 2222);
    assert.equal(o.privateKeyFile, join(homedir(), '.ssh/id_10.9.0.5_deploy'));
    assert.equal(o.knownHostsFile, '/etc/kelpie/known_hosts');
    assert.equal(o.hostKeyChecking, true);
    assert.equal(o.acceptNewHostKeys, true);
    assert.equal(o.connectTimeoutMs, 7000);
    assert.equal(o.keepaliveIntervalMs, 5000);
    assert.equal(o.keepaliveCountMax, 2);
    assert.equal(o.sshConfigWarnings, undefined);
  });

  it('patterns and negations match, and the first value obtained wins (specific blocks before Host *)', () => {
    const d = using(`
Host db-* !db-3
  User dba
Host *.prod
  HostName %h.internal
Host *
  User nobody
  Port 2200
`);
    assert.equal(connectionOptionsFromVars('db-1', {}, d).user, 'dba');
    assert.equal(connectionOptionsFromVars('db-3', {}, d).user, 'nobody');
    assert.equal(connectionOptionsFromVars('db-1', {}, d).port, 2200);
    assert.equal(connectionOptionsFromVars('api.prod', {}, d).address, 'api.prod.internal');
  });

  it('matches the name ssh is given: ansible_host when set, else the inventory name', () => {
    const d = using('Host 10.1.*\n  User viaaddr\nHost web1\n  User vianame\n');
    assert.equal(connectionOptionsFromVars('web1', { ansible_host: '10.1.0.4' }, d).user, 'viaaddr');
    assert.equal(connectionOptionsFromVars('web1', {}, d).user, 'vianame');
  });

  it('inventory variables, -u and ansible_ssh_common_args win; ssh_config fills only what they leave unset', () => {
    const d = using('Host web1\n  HostName 10.9.0.5\n  User deploy\n  Port 2222\n  IdentityFile /keys/cfg\n  UserKnownHostsFile /kh/cfg\n');
    const o = connectionOptionsFromVars('web1', { ansible_user: 'root', ansible_port: 22, ansible_ssh_private_key_file: '/keys/inv', kelpie_known_hosts: '/kh/inv' }, d);
    assert.deepEqual([o.address, o.user, o.port, o.privateKeyFile, o.knownHostsFile], ['10.9.0.5', 'root', 22, '/keys/inv', '/kh/inv']);
    assert.equal(connectionOptionsFromVars('web1', {}, { ...d, user: 'cli' }).user, 'cli');
    const args = connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-o User=fromargs -p 2022' }, d);
    assert.deepEqual([args.user, args.port, args.address], ['fromargs', 2022, '10.9.0.5']);
    // an explicit ansible_host is still the name ssh_config's HostName replaces, as with ssh
    assert.equal(connectionOptionsFromVars('web1', { ansible_host: 'web1' }, d).address, '10.9.0.5');
  });

  it('StrictHostKeyChecking no in ssh_config turns checking off unless a variable says otherwise', () => {
    const d = using('Host lab-*\n  StrictHostKeyChecking no\n');
    assert.equal(connectionOptionsFromVars('lab-1', {}, d).hostKeyChecking, false);
    assert.equal(connectionOptionsFromVars('lab-1', { ansible_host_key_checking: true }, d).hostKeyChecking, true);
    assert.equal(connectionOptionsFromVars('other', {}, d).hostKeyChecking, true);
  });

  it('-F in ansible_ssh_common_args (or ansible.cfg ssh_args) reads that file instead; a missing one is an error naming it', () => {
    const f = configFile('Host web1\n  User fromF\n');
    const d = using('Host web1\n  User fromDefault\n');
    assert.equal(connectionOptionsFromVars('web1', { ansible_ssh_common_args: `-F ${f}` }, d).user, 'fromF');
    assert.equal(connectionOptionsFromVars('web1', {}, { ...d, sshArgs: `-C -F ${f}` }).user, 'fromF');
    assert.throws(() => connectionOptionsFromVars('web1', { ansible_ssh_common_args: `-F ${dir}/nope` }, d), /host 'web1': cannot read ssh config .*nope/);
  });

  it("ansible.cfg's [ssh_connection] ssh_args / ssh_common_args reach the connection (ANSIBLE_SSH_ARGS overrides)", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kelpie-sshcfg-cfg-'));
    const f = configFile('Host web1\n  User fromCfgF\n');
    writeFileSync(join(cwd, 'ansible.cfg'), `[defaults]\nforks = 5\n[ssh_connection]\nssh_args = -C -F ${f}\nssh_common_args = -o Port=2201\n`);
    const cfg = readConfig(cwd, {});
    assert.deepEqual([cfg.sshArgs, cfg.sshCommonArgs], [`-C -F ${f}`, '-o Port=2201']);
    const o = connectionOptionsFromVars('web1', {}, connectionDefaultsFor({}, cfg, { cwd } as Io));
    assert.deepEqual([o.user, o.port], ['fromCfgF', 2201]);
    assert.equal(readConfig(cwd, { ANSIBLE_SSH_ARGS: '' }).sshArgs, '');
  });

  it('reads Include files where they stand (a wildcard in the name, sorted)', () => {
    const inc = join(dir, 'conf.d');
    mkdirSync(inc, { recursive: true });
    writeFileSync(join(inc, '20-b.conf'), 'Host web1\n  User second\n');
    writeFileSync(join(inc, '10-a.conf'), 'Host web1\n  Port 2201\n');
    const d = using(`Include ${inc}/*.conf\nHost web1\n  User later\n  Port 9\n`);
    const o = connectionOptionsFromVars('web1', {}, d);
    assert.deepEqual([o.user, o.port], ['second', 2201]);
  });

  it('warns about keywords that change how a host is reached but are not applied; stays quiet about the ssh binary\'s own tuning', () => {
    const d = using('Host web1\n  ProxyCommand nc %h %p\n  HostKeyAlias web\n  ControlMaster auto\n  ForwardAgent yes\n  SendEnv LANG\nMatch exec "true"\n  User x\n');
    const o = connectionOptionsFromVars('web1', {}, d);
    assert.deepEqual(o.sshConfigWarnings, [
      `${d.sshConfigFiles![0]}: 'Match exec' blocks are not evaluated by kelpie (their settings never apply)`,
      'ssh config keyword proxycommand (not supported: kelpie would connect directly; use ProxyJump)',
      'ssh config keyword hostkeyalias (not supported: the host key is looked up under the HostName)',
    ]);
  });

  it('a malformed value is refused with the host and the keyword named', () => {
    assert.throws(() => connectionOptionsFromVars('web1', {}, using('Host web1\n  Port twenty\n')), /host 'web1': ssh config for 'web1': Port=twenty: expected a whole number/);
  });
});

describe('ProxyJump resolution', () => {
  afterEach(() => clearSshConfigCache());

  it('reads [user@]host[:port], ssh:// and bracketed IPv6 hops', () => {
    assert.deepEqual(parseJumpHop('ops@bastion:2222'), { user: 'ops', host: 'bastion', port: 2222 });
    assert.deepEqual(parseJumpHop('ssh://jump.example'), { host: 'jump.example' });
    assert.deepEqual(parseJumpHop('[fd00::1]:22'), { host: 'fd00::1', port: 22 });
    assert.throws(() => parseJumpHop('a:b:c'), /expected \[user@\]host\[:port\]/);
  });

  it('a jump host is configured by its own Host block, not by the target\'s variables', () => {
    const d = using(`
Host bastion
  HostName 10.203.1.11
  User jumper
  IdentityFile /keys/bastion
  UserKnownHostsFile /kh/bastion
Host 10.204.*
  ProxyJump bastion
`);
    const o = connectionOptionsFromVars('web1', { ansible_host: '10.204.1.12', ansible_user: 'root', ansible_ssh_private_key_file: '/keys/target' }, d);
    assert.equal(o.address, '10.204.1.12');
    assert.equal(o.user, 'root');
    assert.ok(o.jump);
    assert.deepEqual([o.jump.host, o.jump.address, o.jump.port, o.jump.user, o.jump.privateKeyFile, o.jump.knownHostsFile, o.jump.hostKeyChecking], ['bastion', '10.203.1.11', 22, 'jumper', '/keys/bastion', '/kh/bastion', true]);
    assert.equal(o.jump.jump, undefined);
  });

  it('user@host:port on the hop beats the jump host\'s ssh_config', () => {
    const d = using('Host bastion\n  User cfguser\n  Port 2200\n');
    const o = connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-J admin@bastion:2022' }, d);
    assert.deepEqual([o.jump?.user, o.jump?.port, o.jump?.address], ['admin', 2022, 'bastion']);
  });

  it('a chain a,b reaches the target through b and b through a; a single hop\'s own ProxyJump chains too', () => {
    const d = using('Host b\n  ProxyJump ignored-when-chained\nHost c\n  ProxyJump a\n');
    const chained = connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-o ProxyJump=a,b' }, d);
    assert.equal(chained.jump?.host, 'b');
    assert.equal(chained.jump?.jump?.host, 'a');
    assert.equal(chained.jump?.jump?.jump, undefined);
    const viaConfig = connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-o ProxyJump=c' }, d);
    assert.deepEqual([viaConfig.jump?.host, viaConfig.jump?.jump?.host], ['c', 'a']);
  });

  it('ProxyJump none turns off one set by a broader block; a loop in ssh_config is refused', () => {
    const d = using('Host direct bastion\n  ProxyJump none\nHost *\n  ProxyJump bastion\n');
    assert.equal(connectionOptionsFromVars('direct', {}, d).jump, undefined);
    assert.equal(connectionOptionsFromVars('web1', {}, d).jump?.host, 'bastion');
    const loop = using('Host x\n  ProxyJump y\nHost y\n  ProxyJump x\n');
    assert.throws(() => connectionOptionsFromVars('web1', { ansible_ssh_common_args: '-J x' }, loop), /host 'web1': ProxyJump chain deeper than 8 hops/);
  });
});
