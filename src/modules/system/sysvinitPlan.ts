/**
 * A service on a SysV init host, the way Ansible's sysvinit module handles it (Ansible's
 * service module hands over to it whenever the host's service_mgr fact is sysvinit, as on a
 * Debian host without systemd): the init script must exist, "enabled" means an S link in
 * some /etc/rc?.d, "running" is read from `service NAME status` with Ansible's heuristics,
 * and the result is {name, changed, status: {enabled: …, <state>: …}} with each command's
 * rc and output. Debian enables with update-rc.d, Red Hat with chkconfig.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import { splitWords } from '../../shell/shlex.js';
import type { Applied, Plan, ReadContext, WriteContext } from '../types.js';
import type { OsFamily } from '../_lib/hostFlavor.js';
import { probeBatch, type SectionResult } from '../_lib/probeBatch.js';

export interface SysvWanted {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded' | undefined;
  enabled?: boolean | undefined;
  pattern?: string | undefined;
  runlevels?: string[] | undefined;
  sleep?: number | undefined;
  arguments?: string | undefined;
  daemonize?: boolean | undefined;
}

/** What one part of the task did: Ansible's status.enabled and status.<state>. */
interface PartStatus {
  changed: boolean;
  rc: number | null;
  stdout: string | null;
  stderr: string | null;
}

export interface SysvPlanData {
  backend: 'sysv';
  name: string;
  /** the status key of the state part: the state asked for, `null` when none (as Python's None key) */
  stateKey: string;
  /** Ansible's word for a failed state command: "Failed to <action> service: NAME" */
  action: string;
  enable: string | undefined;
  /** the state commands in order (restart: stop, then start), `sleep` between them */
  stateCmds: string[];
  result: { name: string; status: Record<string, PartStatus> };
}

const untouched = (): PartStatus => ({ changed: false, rc: null, stdout: null, stderr: null });

/** The script Ansible's get_sysv_script names: a path as given, else /etc/init.d/NAME. */
export function sysvScript(name: string): string {
  return name.startsWith('/') ? name : `/etc/init.d/${name}`;
}

/**
 * Ansible's reading of `service NAME status`: a one-line answer saying stopped or running
 * decides, else the usual "not running" exit codes, else rc 0 means running. `undefined`:
 * nothing decided (Ansible then looks for the name in ps).
 */
export function readStatus(name: string, rc: number, stdout: string): boolean | undefined {
  if (name === 'iptables' && stdout.includes('ACCEPT')) return true;
  if ((stdout.match(/\n/g) ?? []).length <= 1) {
    const clean = stdout.toLowerCase().split(name.toLowerCase()).join('');
    if (['stop', 'is dead ', 'dead but ', 'could not access pid file', 'inactive'].some((w) => clean.includes(w))) return false;
    if (['run', 'start', 'active'].some((w) => clean.includes(w)) && !clean.includes('not ')) return true;
  }
  if ([1, 2, 3, 4, 69].includes(rc)) return false;
  return rc === 0 ? true : undefined;
}

/** Whether `ps auxww` shows a line containing `needle` (Ansible's get_ps). */
async function inPs(ctx: ReadContext, needle: string): Promise<boolean> {
  // alone, so that the probe's own command line (which names the service) is not in the listing
  const ps = await ctx.probe(shellRaw('ps auxww'));
  return ps.rc === 0 && ps.stdout.split('\n').some((l) => l.includes(needle));
}

/** S links of the service, per runlevel ('2', 'S', …), where Ansible's sysv_is_enabled globs them. */
const LINKS = (name: string): ShellCommand =>
  sh`if [ -d /etc/rc0.d ]; then ls -1d /etc/rc?.d/S??${name}; else ls -1d /etc/init.d/rc?.d/S??${name}; fi`;

function enabledIn(family: OsFamily, r: SectionResult, name: string): (runlevel?: string) => boolean {
  if (family === 'RedHat') {
    // chkconfig --list: `NAME  0:off 1:off 2:on …`, the same answer as its rc links
    const line = r.stdout.split('\n').find((l) => l.split(/\s+/)[0] === name) ?? '';
    return (rl) => new RegExp(`\\b${rl ?? '[0-6]'}:on\\b`).test(line);
  }
  const links = r.stdout.split('\n').map((l) => /rc([0-6S])\.d\/S\d\d(.+)$/.exec(l.trim())).filter((m) => m?.[2] === name);
  return (rl) => links.some((m) => rl === undefined || m![1] === rl);
}

function enableCommand(family: OsFamily, name: string, on: boolean, runlevels: string[] | undefined): string {
  if (family === 'RedHat') {
    return (runlevels ? sh`chkconfig --level ${runlevels.join('')} ${name} ${on ? 'on' : 'off'}` : sh`chkconfig ${name} ${on ? 'on' : 'off'}`).text;
  }
  if (runlevels) return sh`update-rc.d ${name} ${on ? 'enable' : 'disable'} ${runlevels}`.text;
  // Ansible's sysvinit enables with `defaults`, which leaves existing (K) links as they are
  return sh`update-rc.d ${name} ${on ? 'defaults' : 'disable'}`.text;
}

export async function planSysv(ctx: ReadContext, family: OsFamily, w: SysvWanted): Promise<Plan<SysvPlanData>> {
  const script = sysvScript(w.name);
  const r = await probeBatch(ctx, {
    script: sh`test -e ${script}`,
    links: family === 'RedHat' ? sh`chkconfig --list ${w.name}` : LINKS(w.name),
    status: sh`PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"; if command -v service >/dev/null; then service ${w.name} status; else ${script} status; fi`,
  });
  if (r.script.rc !== 0) return { kind: 'fail', msg: `Could not find the requested service ${w.name}: ` };
  let started: boolean | undefined;
  if (w.pattern !== undefined) started = await inPs(ctx, w.pattern);
  else {
    started = readStatus(w.name, r.status.rc, r.status.stdout);
    if (started === undefined && (await inPs(ctx, w.name))) {
      started = true;
      ctx.log.warn('Used ps output to match service name and determine it is up, this is very unreliable');
    }
  }
  if (started === undefined) ctx.log.warn('Unable to determine if service is up, assuming it is down');
  const running = started === true;

  const enabled = enabledIn(family, r.links, w.name);
  // with runlevels, Ansible compares each with `enabled` even when it is not given (then it disables)
  const enableChanged = w.runlevels ? w.runlevels.some((rl) => (w.enabled ?? null) !== enabled(rl)) : w.enabled !== undefined && w.enabled !== enabled();
  const action = (w.state ?? '').replace(/p?ed$/, '');
  const verb = (v: string): string => [sh`${script} ${v}`.text, ...splitWords(w.arguments ?? '').map((x) => sh`${x}`.text)].join(' ');
  let stateCmds: string[] = [];
  if (action === 'restart') stateCmds = [verb('stop'), verb('start')];
  else if (action && (running !== (action === 'start') || running === (action === 'stop'))) stateCmds = [verb(action)];

  const stateKey = w.state ?? 'null';
  const status: Record<string, PartStatus> = { enabled: { ...untouched(), changed: enableChanged }, [stateKey]: { ...untouched(), changed: stateCmds.length > 0 } };
  if (w.runlevels) Object.assign(status['enabled']!, { runlevels: w.runlevels });
  const result = { name: w.name, status };
  if (!enableChanged && !stateCmds.length) return { kind: 'ok', result };
  const data: SysvPlanData = {
    backend: 'sysv',
    name: w.name,
    stateKey,
    action,
    enable: enableChanged ? enableCommand(family, w.name, w.enabled === true, w.runlevels) : undefined,
    stateCmds: stateCmds.map((c) => (w.daemonize ? `setsid -w ${c}` : c)),
    result,
  };
  const changes = [...(enableChanged ? [`${w.enabled ? 'enable' : 'disable'} ${w.name}`] : []), ...(stateCmds.length ? [`${action} ${w.name}`] : [])];
  // the real run's result comes from apply (a failed command there returns only its own keys)
  return { kind: 'change', changes, data, inCheckMode: { kind: 'change', changes, result } };
}

export async function applySysv(ctx: WriteContext, data: SysvPlanData, sleepSeconds: number | undefined): Promise<Applied> {
  const status = structuredClone(data.result.status);
  if (data.enable) {
    // Ansible records the enable command's outcome and goes on, whatever its exit status
    const r = await ctx.exec(shellRaw(data.enable));
    status['enabled'] = { ...status['enabled']!, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  }
  for (const cmd of data.stateCmds) {
    const r = await ctx.exec(shellRaw(cmd));
    if (r.rc !== 0) return { failed: true, changed: false, msg: `Failed to ${data.action} service: ${data.name}`, result: { rc: r.rc, stdout: r.stdout, stderr: r.stderr } };
    status[data.stateKey] = { ...status[data.stateKey]!, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
    if (sleepSeconds && data.action === 'restart') await ctx.exec(sh`sleep ${sleepSeconds}`);
  }
  return { changed: true, result: { name: data.name, status } };
}
