/** fetch: copy a remote file to the controller (dest/<host>/<src> unless flat). */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { defineModule } from '../types.js';

const args = {
  src: { type: 'path', required: true },
  dest: { type: 'path', required: true },
  flat: { type: 'bool', default: false },
  fail_on_missing: { type: 'bool', default: true },
  validate_checksum: { type: 'bool', default: true },
} as const;

interface FetchData {
  local: string;
  content: Buffer;
}

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** The controller path Ansible would use. */
export function fetchDest(host: string, src: string, dest: string, flat: boolean): string {
  if (flat) return dest.endsWith('/') ? nodePath.join(dest, nodePath.posix.basename(src)) : dest;
  return nodePath.join(dest, host, src.replace(/^\/+/, ''));
}

export default defineModule<typeof args, FetchData>({
  name: 'fetch',
  args,
  // Ansible's fetch skips itself in check mode rather than predicting
  checkModeSkip: { msg: 'check mode not (yet) supported for this module', byAction: true },
  async plan(ctx, a) {
    const st = await ctx.stat(a.src);
    if (st?.type === 'directory') return { kind: 'fail', msg: 'remote file is a directory, fetch cannot work on directories' };
    const content = st ? await ctx.readFile(a.src) : null;
    if (!content) {
      const msg = 'the remote file does not exist, not transferring, ignored';
      return a.fail_on_missing ? { kind: 'fail', msg } : { kind: 'ok', msg, result: { msg, file: a.src } };
    }
    const local = fetchDest(ctx.host, a.src, a.dest, a.flat);
    const sum = sha1(content);
    let old: Buffer | null = null;
    try {
      old = await fs.readFile(local);
    } catch {
      old = null;
    }
    // the keys differ between a copy already in place and a transfer, as in Ansible's action
    if (old && sha1(old) === sum) return { kind: 'ok', result: { checksum: sum, dest: local, file: a.src, md5sum: md5(old) } };
    const result = { dest: local, checksum: sum, md5sum: md5(content), remote_checksum: sum, remote_md5sum: null };
    return { kind: 'change', changes: [`fetch ${a.src} → ${local}`], result, data: { local, content } };
  },
  async apply(_ctx, _a, data) {
    await fs.mkdir(nodePath.dirname(data.local), { recursive: true });
    await fs.writeFile(data.local, data.content);
    return { changed: true };
  },
});
