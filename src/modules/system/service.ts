/**
 * service: start/stop/enable a service through whatever init system the host runs
 * (facts service_mgr / os_family, else one probe). `runlevel`, `sleep` and `arguments`
 * are accepted for Ansible compatibility; kelpie ignores them (a warning says so).
 */
import { defineModule } from '../types.js';
import { applyService, pickBackend, planService, type ServicePlanData } from './servicePlan.js';

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

export default defineModule<typeof args, ServicePlanData>({
  name: 'service',
  aliases: ['ansible.builtin.service'],
  args,
  check: (a) => (a.state === undefined && a.enabled === undefined ? "one of 'state', 'enabled' is required" : undefined),
  async plan(ctx, a) {
    for (const k of ['runlevel', 'sleep', 'arguments'] as const) if (a[k] !== undefined) ctx.log.warn(`service: '${k}' is ignored by kelpie`);
    const b = await pickBackend(ctx, a.use === 'systemd' ? 'systemd' : a.use === 'auto' ? undefined : 'sysvinit');
    return planService(ctx, b, { name: a.name, state: a.state, enabled: a.enabled, pattern: a.pattern });
  },
  apply: (ctx, _a, data) => applyService(ctx, data),
});
