/** systemd (systemd_service): units through systemctl, with daemon_reload and masking. */
import { defineModule } from '../types.js';
import { backends } from './serviceBackends.js';
import { applyService, planService, type ServicePlanData } from './servicePlan.js';

const args = {
  name: { type: 'str', aliases: ['service', 'unit'] },
  state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
  enabled: { type: 'bool' },
  masked: { type: 'bool' },
  daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
  daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
  scope: { type: 'str', default: 'system', choices: ['system'] },
  no_block: { type: 'bool', default: false },
  force: { type: 'bool' },
} as const;

export default defineModule<typeof args, ServicePlanData>({
  name: 'systemd',
  aliases: ['ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  args,
  check(a) {
    if (!a.name && !a.daemon_reload) return "'name' is required unless 'daemon_reload' is set";
    if (a.name && a.state === undefined && a.enabled === undefined && a.masked === undefined && !a.daemon_reload) {
      return "one of 'state', 'enabled', 'masked', 'daemon_reload' is required";
    }
    return undefined;
  },
  async plan(ctx, a) {
    if (!a.name) {
      return {
        kind: 'change',
        changes: ['daemon-reload'],
        data: { backend: 'systemd', steps: [{ what: 'daemon-reload', cmd: 'systemctl daemon-reload', counts: false }], result: {} },
        inCheckMode: { kind: 'ok', msg: 'daemon-reload (not run in check mode)' },
      };
    }
    return planService(ctx, backends.systemd, { name: a.name, state: a.state, enabled: a.enabled, masked: a.masked, daemonReload: a.daemon_reload });
  },
  apply: (ctx, _a, data) => applyService(ctx, data),
});
