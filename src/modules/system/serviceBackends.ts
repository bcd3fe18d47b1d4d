/**
 * The three ways kelpie talks to init systems: systemd (systemctl), Debian SysV
 * (/etc/init.d/NAME + update-rc.d, enabled read from /etc/rc?.d/S??NAME links) and
 * Red Hat SysV (`service NAME ...` + chkconfig). Each backend says how to probe a
 * service in one batched round trip, how to read the answer, and which commands change it.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { SectionResult } from '../_lib/probeBatch.js';

export type BackendKind = 'systemd' | 'sysv-debian' | 'sysv-redhat';
export type ServiceVerb = 'start' | 'stop' | 'restart' | 'reload';

export interface ServiceStatus {
  exists: boolean;
  running: boolean;
  enabled: boolean | undefined;
  masked: boolean;
  /** Debian: the rc links found (enable/disable picks `defaults` when there are none). */
  links: string[];
  /** Red Hat: chkconfig knows the service (else it needs `chkconfig --add`). */
  registered: boolean;
  /** systemd properties, returned as Ansible's `status`. */
  props: Record<string, string>;
}

export interface ServiceBackend {
  kind: BackendKind;
  probe(name: string, pattern?: string): Record<string, ShellCommand>;
  parse(name: string, r: Record<string, SectionResult>, pattern?: string): ServiceStatus;
  action(name: string, verb: ServiceVerb): ShellCommand;
  setEnabled(name: string, on: boolean, st: ServiceStatus): ShellCommand;
}

const EMPTY: ServiceStatus = { exists: false, running: false, enabled: undefined, masked: false, links: [], registered: false, props: {} };

/** `pattern`: Ansible's "substring to look for in ps output" for scripts without status. */
function patternRunning(ps: SectionResult | undefined, pattern: string | undefined): boolean | undefined {
  if (!pattern || !ps) return undefined;
  return ps.stdout.split('\n').some((l) => l.includes(pattern));
}

const PS = shellRaw('ps -eo args');

export function parseSystemdShow(stdout: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) props[line.slice(0, i)] = line.slice(i + 1);
  }
  return props;
}

export const systemdBackend: ServiceBackend = {
  kind: 'systemd',
  probe: (name, pattern) => ({
    show: sh`systemctl show ${name} --no-pager --property=Id,LoadState,ActiveState,SubState,UnitFileState,MainPID`,
    isenabled: sh`systemctl is-enabled ${name}`,
    ...(pattern ? { ps: PS } : {}),
  }),
  parse(_name, r, pattern) {
    const props = parseSystemdShow(r['show']?.stdout ?? '');
    const load = props['LoadState'] ?? 'not-found';
    const enabledWord = (r['isenabled']?.stdout ?? '').trim();
    const masked = load === 'masked' || enabledWord.startsWith('masked');
    return {
      ...EMPTY,
      exists: load !== 'not-found' || masked,
      running: patternRunning(r['ps'], pattern) ?? ['active', 'activating', 'reloading'].includes(props['ActiveState'] ?? ''),
      // is-enabled exits 0 for enabled, static, indirect, generated: what Ansible checks.
      enabled: masked ? false : r['isenabled']?.rc === 0,
      masked,
      props,
    };
  },
  action: (name, verb) => sh`systemctl ${verb} ${name}`,
  setEnabled: (name, on) => sh`systemctl ${on ? 'enable' : 'disable'} ${name}`,
};

/** /etc/rc2.d/S01ssh → runlevel '2', S, name 'ssh'. */
export function parseRcLinks(stdout: string, name: string): { runlevel: string; start: boolean; path: string }[] {
  const out: { runlevel: string; start: boolean; path: string }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /\/etc\/rc([0-6S])\.d\/([SK])\d\d(.+)$/.exec(line.trim());
    if (m && m[3] === name) out.push({ runlevel: m[1]!, start: m[2] === 'S', path: line.trim() });
  }
  return out;
}

export const debianSysvBackend: ServiceBackend = {
  kind: 'sysv-debian',
  probe: (name, pattern) => ({
    script: sh`test -x /etc/init.d/${name}`,
    status: sh`test -x /etc/init.d/${name} && /etc/init.d/${name} status`,
    links: sh`ls -1d /etc/rc?.d/[SK][0-9][0-9]${name}`,
    ...(pattern ? { ps: PS } : {}),
  }),
  parse(name, r, pattern) {
    const links = parseRcLinks(r['links']?.stdout ?? '', name);
    return {
      ...EMPTY,
      exists: r['script']?.rc === 0,
      running: patternRunning(r['ps'], pattern) ?? r['status']?.rc === 0,
      enabled: links.some((l) => l.start && '2345'.includes(l.runlevel)),
      links: links.map((l) => l.path),
    };
  },
  action: (name, verb) => sh`/etc/init.d/${name} ${verb}`,
  // Without any links, `enable`/`disable` have nothing to flip: create them first.
  setEnabled: (name, on, st) =>
    st.links.length
      ? sh`update-rc.d ${name} ${on ? 'enable' : 'disable'}`
      : on
        ? sh`update-rc.d ${name} defaults`
        : sh`update-rc.d ${name} defaults && update-rc.d ${name} disable`,
};

/** `spamass-milter  0:off 1:off 2:on 3:on 4:on 5:on 6:off` → enabled in 2-5? */
export function parseChkconfig(stdout: string, name: string): { registered: boolean; enabled: boolean } {
  const line = stdout.split('\n').find((l) => l.split(/\s+/)[0] === name);
  if (!line) return { registered: false, enabled: false };
  return { registered: true, enabled: /\b[2345]:on\b/.test(line) };
}

export const redhatSysvBackend: ServiceBackend = {
  kind: 'sysv-redhat',
  probe: (name, pattern) => ({
    script: sh`test -x /etc/rc.d/init.d/${name} || test -x /etc/init.d/${name}`,
    status: sh`service ${name} status`,
    chk: sh`chkconfig --list ${name}`,
    ...(pattern ? { ps: PS } : {}),
  }),
  parse(name, r, pattern) {
    const chk = parseChkconfig(r['chk']?.stdout ?? '', name);
    return {
      ...EMPTY,
      exists: r['script']?.rc === 0,
      running: patternRunning(r['ps'], pattern) ?? r['status']?.rc === 0,
      enabled: chk.enabled,
      registered: chk.registered,
    };
  },
  action: (name, verb) => sh`service ${name} ${verb}`,
  setEnabled: (name, on, st) =>
    st.registered ? sh`chkconfig ${name} ${on ? 'on' : 'off'}` : sh`chkconfig --add ${name} && chkconfig ${name} ${on ? 'on' : 'off'}`,
};

export const backends: Record<BackendKind, ServiceBackend> = {
  systemd: systemdBackend,
  'sysv-debian': debianSysvBackend,
  'sysv-redhat': redhatSysvBackend,
};
