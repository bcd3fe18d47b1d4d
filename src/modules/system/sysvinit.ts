/** sysvinit: SysV init scripts (Debian update-rc.d or Red Hat chkconfig, by os_family). */
import { defineModule } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { backends } from './serviceBackends.js';
import { applyService, planService, type ServicePlanData } from './servicePlan.js';

const args = {
  name: { type: 'str', required: true, aliases: ['service'] },
  state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
  enabled: { type: 'bool' },
  pattern: { type: 'str' },
  runlevels: { type: 'list', elements: 'str' },
  sleep: { type: 'int' },
  arguments: { type: 'str', aliases: ['args'] },
  daemonize: { type: 'bool', default: false },
} as const;

export default defineModule<typeof args, ServicePlanData>({
  name: 'sysvinit',
  aliases: ['ansible.builtin.sysvinit'],
  args,
  check: (a) => (a.state === undefined && a.enabled === undefined ? "one of 'state', 'enabled' is required" : undefined),
  async plan(ctx, a) {
    if (a.runlevels) ctx.log.warn("sysvinit: 'runlevels' is ignored; the script's LSB defaults decide");
    const f = await hostFlavor(ctx);
    const b = f.family === 'RedHat' ? backends['sysv-redhat'] : backends['sysv-debian'];
    return planService(ctx, b, { name: a.name, state: a.state, enabled: a.enabled, pattern: a.pattern });
  },
  apply: (ctx, _a, data) => applyService(ctx, data),
});
