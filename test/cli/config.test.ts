import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';

describe('cli: an existing Ansible repository runs as it is', () => {
  it('reads inventory and roles_path from ansible.cfg [defaults] in the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-cfg-'));
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ninventory = hosts.ini\nroles_path = ./shared_roles\nforks = 3\nhost_key_checking = True\n');
    writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1 ansible_connection=local\n');
    mkdirSync(join(dir, 'shared_roles/hello/tasks'), { recursive: true });
    writeFileSync(join(dir, 'shared_roles/hello/tasks/main.yml'), '- name: hi\n  debug:\n    msg: "hi from {{ inventory_hostname }}"\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: web\n  gather_facts: false\n  roles: [hello]\n');
    const r = await runCli(['playbook', 'site.yml'], { cwd: dir });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /"msg": "hi from w1"/);
  });

  it('ANSIBLE_ROLES_PATH is honoured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-cfg-'));
    mkdirSync(join(dir, 'elsewhere/greet/tasks'), { recursive: true });
    writeFileSync(join(dir, 'elsewhere/greet/tasks/main.yml'), '- debug:\n    msg: greeted\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: localhost\n  gather_facts: false\n  roles: [greet]\n');
    const r = await runCli(['playbook', 'site.yml', '-i', 'localhost,'], { cwd: dir, env: { ANSIBLE_ROLES_PATH: join(dir, 'elsewhere') } });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /"msg": "greeted"/);
  });

  it('kelpie inventory --graph and --list answer like ansible-inventory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-inv-'));
    writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1\nw2\n[db]\nd1\n');
    const r = await runCli(['inventory', '-i', join(dir, 'hosts.ini'), '--graph']);
    assert.equal(r.code, 0);
    const out = r.out;
    assert.match(out, /@all:\n  \|--@ungrouped:\n  \|--@web:\n  \|  \|--w1\n  \|  \|--w2\n  \|--@db:\n  \|  \|--d1/);
  });

  it('every command answers --help', async () => {
    for (const cmd of [['playbook'], ['facts'], ['demo'], ['inventory'], ['lab'], ['lab', 'up']]) {
      const r = await runCli([...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.out, /usage: kelpie/, cmd.join(' '));
    }
  });
});
