/** package_facts: installed packages as ansible_facts.packages (apt and/or rpm), one round trip. */
import { gatherPackages, type PackageManager } from '../../facts/index.js';
import { defineModule } from '../types.js';

const args = {
  manager: { type: 'list', elements: 'str', default: ['auto'], choices: ['auto', 'apt', 'rpm'] },
  strategy: { type: 'str', default: 'first', choices: ['first', 'all'] },
} as const;

export default defineModule({
  name: 'package_facts',
  args,
  async plan(ctx, a) {
    const managers = a.manager as PackageManager[];
    const manager: PackageManager = managers.includes('auto') || managers.length !== 1 ? 'auto' : managers[0]!;
    const packages = await gatherPackages((cmd) => ctx.probe(cmd, { timeoutMs: 60_000 }), manager);
    if (Object.keys(packages).length === 0) {
      return { kind: 'fail', msg: `Could not detect a supported package manager from the following list: ${managers.join(', ')}` };
    }
    return { kind: 'ok', result: { ansible_facts: { packages }, changed: false } };
  },
});
