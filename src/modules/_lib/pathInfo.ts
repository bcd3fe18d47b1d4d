/**
 * What Ansible's module runtime does for any module's path: the keys it adds to a result
 * naming an existing `path` (or `dest`) (AnsibleModule.add_path_info: ids and names, mode,
 * size and the kind of path as `state`), and its owner/group name lookup.
 */
import { sh } from '../../shell/quote.js';
import type { ReadContext, ResultData } from '../types.js';
import { formatMode, type WantedAttrs } from './fileattrs.js';
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

/**
 * Ansible resolves an owner or group name before comparing it with the path's (in check mode
 * too) and fails the task when the name is unknown; a number is taken as an id as it is.
 * Returns that failure's message, owner first, as Ansible sets the owner before the group.
 */
export async function unknownIdFailure(ctx: ReadContext, want: WantedAttrs): Promise<string | undefined> {
  const byName = (v: string | undefined): v is string => v !== undefined && v !== '' && !/^\d+$/.test(v);
  const owner = byName(want.owner) ? want.owner : undefined;
  const group = byName(want.group) ? want.group : undefined;
  if (owner === undefined && group === undefined) return undefined;
  const look = (db: 'passwd' | 'group', name: string | undefined, tag: string) => (name === undefined ? sh`:` : sh`getent ${db} ${name} >/dev/null || echo ${tag}`);
  const r = await ctx.probe(sh`${look('passwd', owner, 'nouser')}; ${look('group', group, 'nogroup')}`);
  if (/^nouser$/m.test(r.stdout)) return `chown failed: failed to look up user ${owner ?? ''}`;
  if (/^nogroup$/m.test(r.stdout)) return `chgrp failed: failed to look up group ${group ?? ''}`;
  return undefined;
}
