/**
 * pause: waits on the controller. A prompt cannot be answered when kelpie runs without
 * an interactive stdin, so it is shown in the result and not waited for (Ansible does
 * the same when stdin is not a TTY).
 */
import { defineModule } from '../types.js';
import { formatTimestamp } from './run.js';

const args = {
  seconds: { type: 'int' },
  minutes: { type: 'int' },
  prompt: { type: 'str' },
  echo: { type: 'bool', default: true },
} as const;

export default defineModule({
  name: 'pause',
  args,
  controllerOnly: true,
  check(a) {
    if (a.seconds !== undefined && a.minutes !== undefined) return 'seconds and minutes are mutually exclusive';
    return undefined;
  },
  async plan(ctx, a) {
    const ms = ((a.seconds ?? 0) + (a.minutes ?? 0) * 60) * 1000;
    const start = new Date();
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    else if (a.prompt !== undefined) ctx.log.warn('Not waiting for response to prompt as stdin is not interactive');
    const stop = new Date();
    return {
      kind: 'ok',
      result: {
        changed: false,
        start: formatTimestamp(start),
        stop: formatTimestamp(stop),
        delta: Math.round((stop.getTime() - start.getTime()) / 1000),
        stdout: ms > 0 ? `Paused for ${ms % 60000 === 0 && a.minutes !== undefined ? `${ms / 60000} minutes` : `${ms / 1000} seconds`}` : '',
        user_input: '',
        echo: a.echo,
      },
    };
  },
});
