import { undefinedCause } from '../../template/index.js';
import { defineModule } from '../types.js';

/** debug: print a message or a variable; never touches the host. */
export default defineModule({
  name: 'debug',
  controllerOnly: true,
  args: {
    msg: { type: 'raw' },
    var: { type: 'str' },
    verbosity: { type: 'int', default: 0 },
  },
  check: (a) => (a.msg !== undefined && a.var !== undefined ? "'msg' and 'var' are incompatible options" : undefined),
  async plan(ctx, args) {
    if (args.verbosity > ctx.verbosity) return { kind: 'skip', result: { skipped_reason: 'Verbosity threshold not met.' } };
    if (args.var !== undefined) {
      let value: unknown;
      try {
        // Ansible templates "{{ var }}": an expression's value is its text ('x + 1' is '4'),
        // a lone variable keeps its type
        value = ctx.template(`{{ ${args.var} }}`);
      } catch (e) {
        // only an undefined variable is shown as such; any other error (a recursive
        // definition) fails the task, as in Ansible
        if (!undefinedCause(e)) throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      return { kind: 'ok', result: { [args.var]: value } };
    }
    return { kind: 'ok', result: { msg: args.msg === undefined ? 'Hello world!' : args.msg } };
  },
});
