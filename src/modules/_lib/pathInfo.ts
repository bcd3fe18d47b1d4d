/**
 * The keys Ansible's module runtime adds to any result naming an existing `path` (or `dest`)
 * (AnsibleModule.add_path_info): ids and names, mode, size and the kind of path as `state`.
 */
import { sh } from '../../shell/quote.js';
import type { ReadContext, ResultData } from '../types.js';
import { formatMode } from './fileattrs.js';
import { probePath } from './probe.js';

export async function withPathInfo(ctx: ReadContext, base: ResultData): Promise<ResultData> {
  const named = base.path ?? base.dest;
  if (typeof named !== 'string') return { ...base };
  const info = await probePath(ctx, named, { follow: false });
  // os.path.exists: a dangling symlink does not count
  if (!info || (info.isLink && (await ctx.probe(sh`test -e ${named}`)).rc !== 0)) return { ...base };
  const target = info.isLink ? null : info;
  const state = info.isLink ? 'link' : info.type === 'directory' ? 'directory' : (target?.nlink ?? 1) > 1 ? 'hard' : 'file';
  return { ...base, uid: info.uid, gid: info.gid, owner: info.owner, group: info.group, mode: formatMode(info.mode), state, size: info.size };
}
