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
}

export interface Lab {
  name: string;
  stateDir: string;
  hosts: LabHost[];
  inventoryFile: string;
  knownHostsFile: string;
  privateKeyFile: string;
}

export type LabLog = (s: string) => void;
