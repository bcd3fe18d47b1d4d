/** sysvinit: SysV init scripts (Debian update-rc.d or Red Hat chkconfig, by os_family), as Ansible's sysvinit module. */
import { defineModule } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { applySysv, planSysv, type SysvPlanData } from './sysvinitPlan.js';

/** Ansible's sysvinit spec: the service module hands it a SysV host's tasks (and refuses what it lacks) */
export const sysvinitArgs = {
  name: { type: 'str', required: true, aliases: ['service'] },
  state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
  enabled: { type: 'bool' },
  pattern: { type: 'str' },
  runlevels: { type: 'list', elements: 'str' },
  sleep: { type: 'int', default: 1 },
  arguments: { type: 'str', aliases: ['args'] },
  daemonize: { type: 'bool', default: false },
} as const;

export default defineModule<typeof sysvinitArgs, SysvPlanData>({
  name: 'sysvinit',
  aliases: ['ansible.builtin.sysvinit'],
  args: sysvinitArgs,
  check: (a) => (a.state === undefined && a.enabled === undefined ? "one of the following is required: state, enabled" : undefined),
  async plan(ctx, a) {
    const { family } = await hostFlavor(ctx);
    return planSysv(ctx, family, { name: a.name, state: a.state, enabled: a.enabled, pattern: a.pattern, runlevels: a.runlevels, arguments: a.arguments, daemonize: a.daemonize });
  },
  apply: (ctx, a, data) => applySysv(ctx, data, a.sleep),
});
