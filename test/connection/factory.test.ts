import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { connectionOptionsFromVars, createConnection, LocalConnection, SshConnection } from '../../src/connection/index.js';
import { ConfigError } from '../../src/errors.js';

describe('connectionOptionsFromVars', () => {
  it('reads Ansible connection variables', () => {
    const o = connectionOptionsFromVars(
      'web1',
      {
        ansible_host: '10.1.2.3',
        ansible_port: '2222',
        ansible_user: 'deploy',
        ansible_ssh_private_key_file: '~/.ssh/lab',
        ansible_ssh_pass: 'secret',
        ansible_host_key_checking: 'no',
        ansible_ssh_common_args: '-o ProxyJump=x',
        kelpie_known_hosts: '/tmp/lab_known_hosts',
      },
      { commandTimeoutMs: 5000 },
    );
    assert.equal(o.connection, 'ssh');
    assert.equal(o.address, '10.1.2.3');
    assert.equal(o.port, 2222);
    assert.equal(o.user, 'deploy');
    assert.equal(o.privateKeyFile, `${homedir()}/.ssh/lab`);
    assert.equal(o.password, 'secret');
    assert.equal(o.hostKeyChecking, false);
    assert.equal(o.knownHostsFile, '/tmp/lab_known_hosts');
    assert.equal(o.commandTimeoutMs, 5000);
    assert.ok(o.maxChannels <= 8);
  });

  it('defaults the address to the inventory name and port 22, and prefers ansible_password', () => {
    const o = connectionOptionsFromVars('db', { ansible_password: 'a', ansible_ssh_pass: 'b' }, { user: 'me', maxChannels: 50 });
    assert.equal(o.address, 'db');
    assert.equal(o.port, 22);
    assert.equal(o.user, 'me');
    assert.equal(o.password, 'a');
    assert.equal(o.hostKeyChecking, true);
    assert.equal(o.maxChannels, 8);
  });

  it('rejects unsupported connection types and bad ports', () => {
    assert.throws(() => connectionOptionsFromVars('h', { ansible_connection: 'docker' }, {}), ConfigError);
    assert.throws(() => connectionOptionsFromVars('h', { ansible_port: 'twenty' }, {}), /ansible_port must be an integer/);
    assert.throws(() => connectionOptionsFromVars('h', { ansible_host_key_checking: 'maybe' }, {}), /boolean/);
  });

  it('creates a local or an ssh connection', () => {
    assert.ok(createConnection(connectionOptionsFromVars('localhost', { ansible_connection: 'local' }, {})) instanceof LocalConnection);
    assert.ok(createConnection(connectionOptionsFromVars('h', {}, {})) instanceof SshConnection);
  });
});
