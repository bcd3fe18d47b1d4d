/** slurp: a remote file's bytes, base64-encoded. */
import { defineModule } from '../types.js';

const args = {
  src: { type: 'path', required: true, aliases: ['path'] },
} as const;

export default defineModule({
  name: 'slurp',
  args,
  async plan(ctx, a) {
    // Ansible's messages, which playbooks match on
    const st = await ctx.stat(a.src);
    if (st?.type === 'directory') return { kind: 'fail', msg: `source is a directory and must be a file: ${a.src}` };
    let buf: Buffer | null;
    try {
      buf = await ctx.readFile(a.src);
    } catch (e) {
      return { kind: 'fail', msg: /EACCES|permission denied/i.test(String(e)) ? `file is not readable: ${a.src}` : `unable to slurp file: ${(e as Error).message}` };
    }
    if (!buf) return { kind: 'fail', msg: `file not found: ${a.src}` };
    return { kind: 'ok', result: { content: buf.toString('base64'), encoding: 'base64', source: a.src } };
  },
});
