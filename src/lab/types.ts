export interface LabHost {
  name: string;
  address: string;
  port: number;
  /** The host's overlay upper dir: exactly the files written on the host since it started. */
  upperDir: string;
  /** The host's merged root as seen from the main namespace (/proc/<pid>/root). */
  rootDir: string;
  /** The host's PID 1 as seen from the main PID namespace. */
  pid: number;
  /** The overlay lower dirs ("top:base"), to tell copy-up artefacts from real changes. */
  lowerDir: string;
  netns: string;
  /** The bastion this host is reached through (it sits on the lab's back network only). */
  via?: string;
  /** A bastion's address on the back network. */
  backAddress?: string;
}

export interface Lab {
  name: string;
  stateDir: string;
  hosts: LabHost[];
  inventoryFile: string;
  knownHostsFile: string;
  privateKeyFile: string;
  /** An ssh_config for the lab's hosts by name: HostName, User, key, known_hosts, ProxyJump for hosts behind a bastion. */
  sshConfigFile: string;
}

export type LabLog = (s: string) => void;
