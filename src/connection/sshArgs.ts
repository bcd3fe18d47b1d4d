/**
 * The OpenSSH options an Ansible inventory passes in ansible_ssh_common_args and
 * ansible_ssh_extra_args (`-o UserKnownHostsFile=… -o StrictHostKeyChecking=yes`, `-p 2222`),
 * read into the settings kelpie's ssh2 connection has. Ansible hands these words to the ssh
 * binary; kelpie has none, so it reads the ones that mean something for one persistent
 * connection and names the rest instead of dropping them silently.
 */
import { splitWords } from '../shell/shlex.js';

export interface SshArgSettings {
  port?: number;
  user?: string;
  identityFile?: string;
  knownHostsFile?: string;
  /** StrictHostKeyChecking: yes → check, no/off → do not check, accept-new → add unknown keys. */
  hostKeyChecking?: boolean;
  acceptNew?: boolean;
  connectTimeoutSec?: number;
  serverAliveIntervalSec?: number;
  serverAliveCountMax?: number;
  /** HostName: the address to connect to (ssh_config, or `-o HostName=`). */
  hostName?: string;
  /** ProxyJump: `[user@]host[:port]` hops, comma-separated; 'none' turns an inherited one off. */
  proxyJump?: string;
  /** IdentityAgent: the ssh-agent socket ('none' for no agent). */
  identityAgent?: string;
  /** `-F FILE`: the ssh_config file read instead of ~/.ssh/config and /etc/ssh/ssh_config. */
  configFile?: string;
  /** Options kelpie has no use for on a single ssh2 connection (`ControlPersist=60s`, `-C`). */
  ignored: string[];
}

/** Options that only tune the ssh binary's own multiplexing or terminal: meaningless for ssh2. */
const MOOT = new Set(['host', 'include', 'sendenv', 'setenv', 'hashknownhosts', 'checkhostip', 'visualhostkey', 'updatehostkeys', 'tcpkeepalive', 'usekeychain', 'escapechar', 'gssapidelegatecredentials', 'forwardx11', 'forwardx11trusted', 'canonicalizehostname', 'canonicaldomains', 'canonicalizefallbacklocal', 'canonicalizemaxdots', 'canonicalizepermittedcnames', 'controlmaster', 'controlpersist', 'controlpath', 'compression', 'requesttty', 'loglevel', 'preferredauthentications', 'gssapiauthentication', 'identitiesonly', 'kbdinteractiveauthentication', 'passwordauthentication', 'pubkeyauthentication', 'batchmode', 'forwardagent', 'addkeystoagent']);

function toInt(key: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`ssh option ${key}=${v}: expected a whole number`);
  return Number(v);
}

/** Why a keyword that changes how ssh reaches or trusts a host cannot be honoured. */
const UNSUPPORTED_WHY: Record<string, string> = {
  proxycommand: 'not supported: kelpie would connect directly; use ProxyJump',
  hostkeyalias: 'not supported: the host key is looked up under the HostName',
  certificatefile: 'not supported: certificates are not offered',
  localforward: 'not supported',
  remoteforward: 'not supported',
  dynamicforward: 'not supported',
};

function applyOption(out: SshArgSettings, raw: string): void {
  const m = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.*)$/s.exec(raw.trim());
  if (!m) throw new Error(`ssh option '-o ${raw}': expected Key=Value`);
  applySetting(out, m[1]!, m[2]!.trim());
}

/**
 * One `Keyword value` of ssh's options, whether it came from `-o` or from an ssh_config file:
 * both are read by this one function, so they mean the same. Sets only what is still unset.
 */
export function applySetting(out: SshArgSettings, keyword: string, value: string): void {
  const key = keyword.toLowerCase();
  switch (key) {
    case 'port':
      out.port ??= toInt('Port', value);
      return;
    case 'user':
      out.user ??= value;
      return;
    case 'identityfile':
      out.identityFile ??= value;
      return;
    case 'userknownhostsfile':
      // ssh takes the first of several files; kelpie reads one
      out.knownHostsFile ??= value.split(/\s+/)[0]!;
      return;
    case 'stricthostkeychecking': {
      const v = value.toLowerCase();
      if (out.hostKeyChecking !== undefined) return;
      if (v === 'yes' || v === 'ask') out.hostKeyChecking = true;
      else if (v === 'no' || v === 'off') out.hostKeyChecking = false;
      else if (v === 'accept-new') {
        out.hostKeyChecking = true;
        out.acceptNew = true;
      } else throw new Error(`ssh option StrictHostKeyChecking=${value}: expected yes, no, off, ask or accept-new`);
      return;
    }
    case 'connecttimeout':
      out.connectTimeoutSec ??= toInt('ConnectTimeout', value);
      return;
    case 'serveraliveinterval':
      out.serverAliveIntervalSec ??= toInt('ServerAliveInterval', value);
      return;
    case 'serveralivecountmax':
      out.serverAliveCountMax ??= toInt('ServerAliveCountMax', value);
      return;
    case 'hostname':
      out.hostName ??= value;
      return;
    case 'proxyjump':
      out.proxyJump ??= value;
      return;
    case 'identityagent':
      out.identityAgent ??= value;
      return;
    default: {
      const why = UNSUPPORTED_WHY[key];
      out.ignored.push(MOOT.has(key) ? keyword : `${keyword} (${why ?? 'not supported'})`);
    }
  }
}

/** Reads the words of ansible_ssh_common_args / ansible_ssh_extra_args. The first value of an option wins, as in ssh (applyOption sets only what is unset). */
export function parseSshArgs(...texts: (string | undefined)[]): SshArgSettings {
  const first: SshArgSettings = { ignored: [] };
  const words = texts.flatMap((t) => (t ? splitWords(t) : []));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const takeValue = (flag: string): string => {
      if (w.length > 2) return w.slice(2);
      const v = words[++i];
      if (v === undefined) throw new Error(`ssh option ${flag} needs a value`);
      return v;
    };
    if (w.startsWith('-o')) {
      const v = takeValue('-o');
      applyOption(first, v);
    } else if (w.startsWith('-p')) {
      const v = takeValue('-p');
      applyOption(first, `Port=${v}`);
    } else if (w.startsWith('-i')) {
      const v = takeValue('-i');
      applyOption(first, `IdentityFile=${v}`);
    } else if (w.startsWith('-l')) {
      const v = takeValue('-l');
      applyOption(first, `User=${v}`);
    } else if (w.startsWith('-J')) {
      const v = takeValue('-J');
      applyOption(first, `ProxyJump=${v}`);
    } else if (w.startsWith('-F')) {
      first.configFile ??= takeValue('-F');
    } else if (/^-[46ACqTtvXxYy]+$/.test(w)) {
      first.ignored.push(w);
    } else {
      first.ignored.push(`${w} (not supported)`);
    }
  }
  return first;
}
