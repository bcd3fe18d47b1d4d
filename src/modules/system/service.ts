/**
 * service: start/stop/enable a service through whatever init system the host runs
 * (facts service_mgr / os_family, else one probe). As in Ansible, a systemd host gets the
 * systemd module's handling, a SysV host the sysvinit module's (its result shape too).
 * `runlevel` fails on a SysV host, as Ansible's sysvinit module refuses it; a systemd host
 * ignores it with Ansible's warning, and so does `use: service` (Ansible's generic service
 * module takes it and uses it only for OpenRC's rc-update, not on Debian or Red Hat).
 */
import { defineModule } from '../types.js';
import { unsupportedParametersMessage } from '../argspec.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { applyService, pickBackend, planService, type ServicePlanData } from './servicePlan.js';
import { applySysv, planSysv, type SysvPlanData } from './sysvinitPlan.js';
import { sysvinitArgs } from './sysvinit.js';

const args = {
  name: { type: 'str', required: true, aliases: ['service'] },
  state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
  enabled: { type: 'bool' },
  pattern: { type: 'str' },
  runlevel: { type: 'str' },
  sleep: { type: 'int' },
  arguments: { type: 'str', aliases: ['args'] },
  use: { type: 'str', default: 'auto', choices: ['auto', 'systemd', 'sysvinit', 'service'] },
} as const;

export default defineModule<typeof args, ServicePlanData | SysvPlanData>({
  name: 'service',
  aliases: ['ansible.builtin.service'],
  args,
  check: (a) => (a.state === undefined && a.enabled === undefined ? 'one of the following is required: state, enabled' : undefined),
  async plan(ctx, a) {
    const b = await pickBackend(ctx, a.use === 'systemd' ? 'systemd' : a.use === 'auto' ? undefined : 'sysvinit');
    if (b) {
      for (const k of ['runlevel', 'sleep', 'arguments'] as const) if (a[k] !== undefined) ctx.log.warn(`Ignoring "${k}" as it is not used in "systemd"`);
      return planService(ctx, b, { name: a.name, state: a.state, enabled: a.enabled, pattern: a.pattern });
    }
    if (a.runlevel !== undefined) {
      if (a.use !== 'service') return { kind: 'fail', msg: unsupportedParametersMessage('ansible.legacy.sysvinit', sysvinitArgs, ['runlevel']) };
      ctx.log.warn(`Ignoring "runlevel": Ansible's service module uses it only with OpenRC`);
    }
    const { family } = await hostFlavor(ctx);
    return planSysv(ctx, family, { name: a.name, state: a.state, enabled: a.enabled, pattern: a.pattern, arguments: a.arguments });
  },
  apply: (ctx, a, data) => (data.backend === 'sysv' ? applySysv(ctx, data, a.sleep ?? 1) : applyService(ctx, data)),
});
