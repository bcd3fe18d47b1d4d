/**
 * selinux_module: one policy module in the SELinux store (semodule). present installs the
 * package file when the module is missing; enabled/disabled also toggle it; absent removes
 * it at every priority it is installed at (plain `semodule -r` only looks at priority 400).
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { runChecked } from '../_lib/runChecked.js';
import { defaultPolicyDir, describeModule, readStore, type StoreModule } from './selinuxStore.js';

interface Data {
  commands: ShellCommand[];
}

const args = {
  name: { type: 'str', required: true },
  state: { type: 'str', default: 'present', choices: ['present', 'enabled', 'disabled', 'absent'] },
  path: { type: 'path', description: 'a .pp or .pp.bz2; default: the distribution policy dir + NAME.pp(.bz2)' },
  priority: { type: 'int', description: 'semodule -X priority for install and removal' },
} as const;

export default defineModule({
  name: 'selinux_module',
  aliases: ['semodule'],
  args,
  check(a) {
    if (!/^[A-Za-z][\w.-]*$/.test(a.name)) return `'${a.name}' is not a policy module name`;
    if (a.priority !== undefined && (a.priority < 1 || a.priority > 999)) return 'priority must be between 1 and 999';
    return undefined;
  },
  async plan(ctx, a) {
    const { family } = await hostFlavor(ctx);
    const dir = defaultPolicyDir(family);
    const candidates = a.path ? [a.path] : [`${dir}/${a.name}.pp.bz2`, `${dir}/${a.name}.pp`];
    const { store, extra } = await readStore(ctx, {
      file: sh`for f in ${candidates}; do if [ -f "$f" ]; then echo "$f"; break; fi; done`,
    });
    if (!store.ok) return { kind: 'fail', msg: store.msg };
    const cur: StoreModule | undefined = store.modules.get(a.name);
    const at = a.priority !== undefined ? ['-X', String(a.priority)] : [];
    const commands: ShellCommand[] = [];
    const installed = cur !== undefined && (a.priority === undefined || !store.full || cur.priorities.includes(a.priority));
    let after: StoreModule | undefined = cur;
    if (a.state === 'absent') {
      if (cur) {
        const prios = a.priority !== undefined ? [a.priority] : cur.priorities;
        if (prios.length === 0) commands.push(sh`semodule -r ${a.name}`);
        for (const p of prios) commands.push(sh`semodule -X ${String(p)} -r ${a.name}`);
        const left = cur.priorities.filter((p) => !prios.includes(p));
        after = left.length ? { ...cur, priorities: left } : undefined;
      }
    } else {
      if (!installed) {
        const file = extra.file?.stdout.trim();
        if (!file) return { kind: 'fail', msg: `module '${a.name}' is not installed and no policy package was found (looked for ${candidates.join(', ')})` };
        commands.push(sh`semodule ${at} -i ${file}`);
        const prio = a.priority ?? 400;
        after = { name: a.name, priorities: [...(cur?.priorities ?? []), prio].sort((x, y) => y - x), enabled: cur?.enabled ?? true };
      }
      const enabled = after?.enabled ?? true;
      if (a.state === 'enabled' && !enabled) commands.push(sh`semodule -e ${a.name}`);
      if (a.state === 'disabled' && enabled) commands.push(sh`semodule -d ${a.name}`);
      if (after && a.state !== 'present') after = { ...after, enabled: a.state === 'enabled' };
    }
    if (!commands.length) return { kind: 'ok', msg: `module ${a.name} is ${a.state}` };
    return {
      kind: 'change',
      msg: commands.map((c) => c.text).join('; '),
      changes: commands.map((c) => c.text),
      diff: [{ path: 'semodule --list-modules=full', beforeHeader: 'policy store (before)', afterHeader: 'policy store (after)', before: describeModule(a.name, cur), after: describeModule(a.name, after) }],
      data: { commands },
    };
  },
  async apply(ctx, _a, data: Data) {
    // semodule rebuilds the whole policy per call: allow it time on a busy host.
    for (const c of data.commands) await runChecked(ctx, c.text, c, { timeoutMs: 600_000 });
    return { changed: true };
  },
});
