/**
 * Platform and user facts: system, kernel, kernel_version, machine, architecture,
 * hostname, nodename, fqdn, domain, user_*, env. `uname -snrvm` in one spawn: the
 * version (field 4) is the only field with spaces, so it is what lies between.
 */
import { splitSection, type FactFamily, type Facts } from './section.js';

const SCRIPT = ['echo ::uname::; uname -snrvm', 'echo ::env::; env'].join('\n');
// The ids come from /proc/self/status (of the grep reading it: the login's, as it inherits
// them; no `id`), the account from /etc/passwd, the FQDN from /etc/hosts (what the resolver
// answers for the node name without DNS): no getent, no resolver round trips.
const FILES = ['/proc/self/status', '/etc/passwd', '/etc/hosts'];

/** The canonical name /etc/hosts gives the node name (first name on its line). */
export function fqdnFromHosts(hosts: string, nodename: string): string | undefined {
  for (const raw of hosts.split('\n')) {
    const names = raw.replace(/#.*/, '').trim().split(/\s+/).slice(1);
    if (names.includes(nodename) || names.some((n) => n.split('.')[0] === nodename && n.includes('.'))) return names[0];
  }
  return undefined;
}

/** The Uid:/Gid: lines of /proc/PID/status: real, effective, saved, filesystem ids. */
function parseIds(status: string, name: (uid: number) => string | undefined): Facts {
  const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  const gid = /^Gid:\s+(\d+)/m.exec(status);
  const out: Facts = {};
  if (uid) {
    Object.assign(out, { user_uid: Number(uid[1]), real_user_id: Number(uid[1]), effective_user_id: Number(uid[2]) });
    const user = name(Number(uid[1]));
    if (user !== undefined) out.user_id = user;
  }
  // effective_group_id is the real gid, as Ansible's user facts report it (os.getgid())
  if (gid) Object.assign(out, { user_gid: Number(gid[1]), real_group_id: Number(gid[1]), effective_group_id: Number(gid[1]) });
  return out;
}

/** `env` output; a line without NAME= continues the previous value (multi-line values). */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) {
      last = m[1]!;
      env[last] = m[2]!;
    } else if (last !== undefined) env[last] += '\n' + line;
  }
  return env;
}

export function parsePlatform(text: string): Facts {
  const { files, subs } = splitSection(text);
  const facts: Facts = {};
  const words = (subs.get('uname') ?? '').trim().split(/\s+/);
  if (words.length >= 4) {
    const machine = words[words.length - 1]!;
    Object.assign(facts, {
      system: words[0],
      nodename: words[1],
      kernel: words[2],
      kernel_version: words.slice(3, -1).join(' '),
      machine,
      architecture: /^i[3-6]86$/.test(machine) ? 'i386' : machine,
    });
  }
  const node = String(facts.nodename ?? '');
  const fqdn = (subs.get('fqdn') ?? '').trim() || fqdnFromHosts(files.get('/etc/hosts') ?? '', node) || node;
  const hostname = String(facts.nodename ?? fqdn).split('.')[0] ?? '';
  Object.assign(facts, { fqdn, hostname, domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '' });
  const pwLines = (subs.get('passwd') ?? files.get('/etc/passwd') ?? '').split('\n').map((l) => l.split(':'));
  const passwdLine = (uid: number) => pwLines.find((f) => f.length >= 7 && Number(f[2]) === uid);
  const env = parseEnv(subs.get('env') ?? '');
  // the account's name: its passwd line, else the login's name, where Python's
  // getpass.getuser() (Ansible's user_id) looks first
  Object.assign(facts, parseIds(files.get('/proc/self/status') ?? '', (uid) => passwdLine(uid)?.[0] ?? env.LOGNAME ?? env.USER ?? env.LNAME ?? env.USERNAME));
  const pw = facts.user_uid === undefined ? undefined : passwdLine(Number(facts.user_uid));
  facts.env = env;
  if (pw) Object.assign(facts, { user_gecos: pw[4], user_dir: pw[5], user_shell: pw[6] });
  // Not in /etc/passwd (LDAP, sssd): the login environment knows the same.
  else Object.assign(facts, { user_dir: env.HOME ?? '', user_shell: env.SHELL ?? '' });
  return facts;
}

export const platformFamily: FactFamily = { name: 'platform', subset: 'min', files: FILES, script: SCRIPT, parse: parsePlatform };
