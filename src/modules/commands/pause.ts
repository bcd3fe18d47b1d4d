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
    const elapsed = (stop.getTime() - start.getTime()) / 1000;
    const unit = a.minutes !== undefined ? 'minutes' : 'seconds';
    // Ansible reports the measured pause, rounded to hundredths, as a Python float
    const measured = Math.round((unit === 'minutes' ? elapsed / 60 : elapsed) * 100) / 100;
    return {
      kind: 'ok',
      result: {
        changed: false,
        rc: 0,
        stderr: '',
        start: formatTimestamp(start),
        stop: formatTimestamp(stop),
        delta: Math.trunc(elapsed),
        stdout: ms > 0 ? `Paused for ${Number.isInteger(measured) ? measured.toFixed(1) : String(measured)} ${unit}` : '',
        user_input: '',
        echo: a.echo,
      },
    };
  },
});
