import { sh } from '../../shell/quote.js';
import { defineModule, MODULE_FAILURE } from '../types.js';

/**
 * ping: proves the host answers a command over its connection (Ansible's ping proves its
 * Python runs; kelpie needs no Python, so a shell round trip is the whole test).
 */
export default defineModule({
  name: 'ping',
  args: { data: { type: 'str', default: 'pong' } },
  async plan(ctx, args) {
    const r = await ctx.probe(sh`true`);
    if (r.rc !== 0) return { kind: 'fail', msg: `the host's shell answered rc=${r.rc}`, result: { rc: r.rc, stderr: r.stderr } };
    // Ansible's module raises on purpose for data=crash, so playbooks can test failure paths.
    if (args.data === 'crash') {
      return {
        kind: 'fail',
        msg: MODULE_FAILURE,
        result: { rc: 1, module_stdout: '', module_stderr: 'Exception: boom\n', exception: 'Exception: boom\n' },
      };
    }
    return { kind: 'ok', result: { ping: args.data } };
  },
});
