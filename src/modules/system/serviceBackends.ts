/**
 * How kelpie talks to systemd (systemctl): how to probe a unit in one batched round trip,
 * how to read the answer, and which commands change it. SysV init hosts are handled the
 * way Ansible's sysvinit module does it, in sysvinitPlan.ts.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { SectionResult } from '../_lib/probeBatch.js';

export type BackendKind = 'systemd';
export type ServiceVerb = 'start' | 'stop' | 'restart' | 'reload';

export interface ServiceStatus {
  exists: boolean;
  running: boolean;
  enabled: boolean | undefined;
  masked: boolean;
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

const EMPTY: ServiceStatus = { exists: false, running: false, enabled: undefined, masked: false, props: {} };

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

export const backends: Record<BackendKind, ServiceBackend> = { systemd: systemdBackend };
