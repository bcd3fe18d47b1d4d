/** slurp: a remote file's bytes, base64-encoded. */
import { defineModule } from '../types.js';

const args = {
  src: { type: 'path', required: true, aliases: ['path'] },
} as const;

export default defineModule({
  name: 'slurp',
  args,
  async plan(ctx, a) {
    const st = await ctx.stat(a.src);
    if (st?.type === 'directory') return { kind: 'fail', msg: `source is a directory and must be a file: ${a.src}` };
    const buf = await ctx.readFile(a.src);
    if (!buf) return { kind: 'fail', msg: `file not found: ${a.src}` };
    return { kind: 'ok', result: { content: buf.toString('base64'), encoding: 'base64', source: a.src } };
  },
});
