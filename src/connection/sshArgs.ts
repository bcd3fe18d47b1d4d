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
  /** Options kelpie has no use for on a single ssh2 connection (`ControlPersist=60s`, `-C`). */
  ignored: string[];
}

/** Options that only tune the ssh binary's own multiplexing or terminal: meaningless for ssh2. */
const MOOT = new Set(['controlmaster', 'controlpersist', 'controlpath', 'compression', 'requesttty', 'loglevel', 'preferredauthentications', 'gssapiauthentication', 'identitiesonly', 'kbdinteractiveauthentication', 'passwordauthentication', 'pubkeyauthentication', 'batchmode', 'forwardagent', 'addkeystoagent']);

function toInt(key: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`ssh option ${key}=${v}: expected a whole number`);
  return Number(v);
}

function applyOption(out: SshArgSettings, raw: string): void {
  const m = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.*)$/s.exec(raw.trim());
  if (!m) throw new Error(`ssh option '-o ${raw}': expected Key=Value`);
  const key = m[1]!.toLowerCase();
  const value = m[2]!.trim();
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
    default:
      out.ignored.push(MOOT.has(key) ? `${m[1]}` : `${m[1]} (not supported)`);
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
    } else if (/^-[46ACqTtvXxYy]+$/.test(w)) {
      first.ignored.push(w);
    } else {
      first.ignored.push(`${w} (not supported)`);
    }
  }
  return first;
}
