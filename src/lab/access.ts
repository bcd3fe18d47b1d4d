/**
 * How clients reach a lab's hosts: an Ansible YAML inventory (what kelpie and
 * ansible-playbook read) and an ssh_config naming every host, with ProxyJump for the hosts
 * that sit behind a bastion on the lab's back network.
 */
import { stringify } from 'yaml';
import type { Lab } from './types.js';

/** Ansible YAML inventory for the lab (also what kelpie reads). */
export function labInventoryYaml(lab: Lab): string {
  const common = `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes`;
  const hosts: Record<string, Record<string, string | number>> = {};
  for (const h of lab.hosts) {
    hosts[h.name] = {
      ansible_host: h.address,
      ansible_port: h.port,
      ansible_user: 'root',
      ansible_ssh_private_key_file: lab.privateKeyFile,
      // ssh reads the lab's ssh_config for the jump: its Host blocks name the bastion's address and key
      ...(h.via !== undefined ? { ansible_ssh_common_args: `-F ${lab.sshConfigFile} ${common}` } : {}),
    };
  }
  const vars = {
    kelpie_known_hosts: lab.knownHostsFile,
    // Lets real ansible-playbook run against the same hosts with the same strict host keys.
    ansible_ssh_common_args: common,
  };
  return stringify({ all: { hosts, vars } }, { lineWidth: 0 });
}

/**
 * `ssh -F <this> host03` works for every lab host by name or address; a host behind a
 * bastion gets `ProxyJump <bastion>`, so ssh (or kelpie) reaches it through one connection.
 */
export function labSshConfig(lab: Lab): string {
  const blocks: string[] = [];
  for (const h of lab.hosts) {
    const lines = [`Host ${h.name} ${h.address}`, `  HostName ${h.address}`, `  Port ${h.port}`];
    if (h.via !== undefined) lines.push(`  ProxyJump ${h.via}`);
    blocks.push(lines.join('\n'));
  }
  blocks.push(['Host *', '  User root', `  IdentityFile ${lab.privateKeyFile}`, `  UserKnownHostsFile ${lab.knownHostsFile}`, '  StrictHostKeyChecking yes'].join('\n'));
  return `# written by kelpie lab up for lab '${lab.name}'\n${blocks.join('\n\n')}\n`;
}
