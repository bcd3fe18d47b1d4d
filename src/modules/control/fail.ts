import { defineModule } from '../types.js';

export default defineModule({
  name: 'fail',
  controllerOnly: true,
  args: { msg: { type: 'raw', default: 'Failed as requested from task' } },
  async plan(_ctx, args) {
    return { kind: 'fail', msg: typeof args.msg === 'string' ? args.msg : JSON.stringify(args.msg) };
  },
});
