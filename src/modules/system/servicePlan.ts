/**
 * The plan/apply of systemd, and of service on a systemd host: probe the unit once, compare
 * with the wanted state, list the commands. restarted/reloaded always change (as in
 * Ansible). A service that does not exist yet in check mode is 'unknown', not a failure:
 * an earlier task of the same check run would have installed it. SysV init hosts:
 * sysvinitPlan.ts.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { Applied, Plan, ReadContext, WriteContext } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';
import { backends, type BackendKind, type ServiceBackend, type ServiceStatus, type ServiceVerb } from './serviceBackends.js';

export interface ServiceWanted {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded' | undefined;
  enabled?: boolean | undefined;
  masked?: boolean | undefined;
  daemonReload?: boolean;
  pattern?: string | undefined;
}

export interface ServiceStep {
  what: string;
  cmd: ShellCommand;
  /** daemon-reload alone does not make a task changed in Ansible. */
  counts: boolean;
}

export interface ServicePlanData {
  backend: BackendKind;
  steps: { what: string; cmd: string; counts: boolean }[];
  result: Record<string, unknown>;
}

/** The systemd backend when the host runs systemd (or `use` says so); undefined on a SysV init host. */
export async function pickBackend(ctx: ReadContext, use: string | undefined): Promise<ServiceBackend | undefined> {
  if (use === 'systemd') return backends.systemd;
  if (use === 'sysvinit') return undefined;
  return (await hostFlavor(ctx)).serviceMgr === 'systemd' ? backends.systemd : undefined;
}

export function serviceSteps(b: ServiceBackend, w: ServiceWanted, st: ServiceStatus): ServiceStep[] {
  const steps: ServiceStep[] = [];
  const verb = (v: ServiceVerb): void => void steps.push({ what: `${v} ${w.name}`, cmd: b.action(w.name, v), counts: true });
  if (w.daemonReload) steps.push({ what: 'daemon-reload', cmd: shellRaw('systemctl daemon-reload'), counts: false });
  if (w.masked === false && st.masked) steps.push({ what: `unmask ${w.name}`, cmd: sh`systemctl unmask ${w.name}`, counts: true });
  if (w.enabled !== undefined && w.enabled !== st.enabled) {
    steps.push({ what: `${w.enabled ? 'enable' : 'disable'} ${w.name}`, cmd: b.setEnabled(w.name, w.enabled, st), counts: true });
  }
  if (w.state === 'started' && !st.running) verb('start');
  if (w.state === 'stopped' && st.running) verb('stop');
  if (w.state === 'restarted') verb('restart');
  // Reloading a stopped service starts it, as Ansible does.
  if (w.state === 'reloaded') verb(st.running ? 'reload' : 'start');
  if (w.masked === true && !st.masked) steps.push({ what: `mask ${w.name}`, cmd: sh`systemctl mask ${w.name}`, counts: true });
  return steps;
}

export async function planService(ctx: ReadContext, b: ServiceBackend, w: ServiceWanted): Promise<Plan<ServicePlanData>> {
  const st = b.parse(w.name, await probeBatch(ctx, b.probe(w.name, w.pattern)), w.pattern);
  const result: Record<string, unknown> = { name: w.name, state: st.running ? 'started' : 'stopped', enabled: st.enabled, status: st.props };
  // Masking works on units that are not installed; everything else needs the service.
  if (!st.exists && !(w.masked === true && w.state === undefined && w.enabled === undefined)) {
    // in check mode, a package an earlier task would install may bring it: the executor says so
    return { kind: 'fail', msg: `Could not find the requested service ${w.name}: host`, result };
  }
  const steps = serviceSteps(b, w, st);
  const wanted = { ...result, ...(w.state ? { state: w.state === 'stopped' ? 'stopped' : 'started' } : {}), ...(w.enabled !== undefined ? { enabled: w.enabled } : {}) };
  if (!steps.length) return { kind: 'ok', result: wanted };
  // daemon-reload alone is not a change (Ansible): the real run still reloads but says
  // changed=false, check mode reports ok
  const uncounted = !steps.some((s) => s.counts);
  return {
    ...(uncounted ? { inCheckMode: { kind: 'ok', result: wanted } } : {}),
    kind: 'change',
    changes: steps.map((s) => s.what),
    msg: steps.map((s) => s.what).join(', '),
    diff: [{ path: `service ${w.name}`, before: describe(st), after: describe({ ...st, running: wanted.state === 'started', enabled: wanted.enabled as boolean | undefined }) }],
    result: wanted,
    data: { backend: b.kind, steps: steps.map((s) => ({ what: s.what, cmd: s.cmd.text, counts: s.counts })), result: wanted },
  };
}

function describe(st: Pick<ServiceStatus, 'running' | 'enabled'>): string {
  return `state: ${st.running ? 'started' : 'stopped'}\nenabled: ${st.enabled === undefined ? 'unknown' : st.enabled ? 'yes' : 'no'}\n`;
}

export async function applyService(ctx: WriteContext, data: ServicePlanData): Promise<Applied> {
  for (const s of data.steps) await runChecked(ctx, s.what, shellRaw(s.cmd));
  return { changed: data.steps.some((s) => s.counts), result: data.result };
}
