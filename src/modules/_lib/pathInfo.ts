/**
 * What Ansible's module runtime does for any module's path: the keys it adds to a result
 * naming an existing `path` (or `dest`) (AnsibleModule.add_path_info: ids and names, mode,
 * size and the kind of path as `state`), and its owner/group name lookup.
 */
import { sh } from '../../shell/quote.js';
import type { ReadContext, ResultData } from '../types.js';
import { formatMode, type WantedAttrs } from './fileattrs.js';
import { probePath, type PathInfo } from './probe.js';

/**
 * `base` with the path's info as Ansible adds it. `known` is the path itself (not followed
 * through a symlink) as the module already probed it with nothing changed since: reusing it
 * saves a round trip.
 */
export async function withPathInfo(ctx: ReadContext, base: ResultData, known?: PathInfo | null): Promise<ResultData> {
  const named = base.path ?? base.dest;
  if (typeof named !== 'string') return { ...base };
  return pathInfoResult(base, known !== undefined ? known : await probePath(ctx, named, { follow: false, realPath: false }));
}

/** `base` with the keys add_path_info gives `info` (a path probed without following). */
export function pathInfoResult(base: ResultData, info: PathInfo | null): ResultData {
  // os.path.exists: a dangling symlink does not count
  if (!info || info.dangling) return { ...base };
  const target = info.isLink ? null : info;
  const state = info.isLink ? 'link' : info.type === 'directory' ? 'directory' : (target?.nlink ?? 1) > 1 ? 'hard' : 'file';
  return { ...base, uid: info.uid, gid: info.gid, owner: info.owner, group: info.group, mode: formatMode(info.mode), state, size: info.size };
}

/**
 * Ansible resolves an owner or group name before comparing it with the path's (in check mode
 * too) and fails the task when the name is unknown; a number is taken as an id as it is.
 * A name the path's stat already gave as its owner (or group) needs no lookup: stat named
 * it from the same account database (getpwuid/getgrgid), so the name resolves, and it is
 * unchanged; stat's stand-in for an id without a name, UNKNOWN, proves nothing. The other
 * names are looked up in one probe. Undefined when all are known.
 */
export async function idLookupFailure(ctx: ReadContext, want: WantedAttrs, path: PathInfo): Promise<string | undefined> {
  const owner = needsLookup(want.owner, path.owner) ? want.owner : undefined;
  const group = needsLookup(want.group, path.group) ? want.group : undefined;
  if (owner === undefined && group === undefined) return undefined;
  const look = (db: 'passwd' | 'group', name: string | undefined, tag: string) => (name === undefined ? sh`:` : sh`getent ${db} ${name} >/dev/null || echo ${tag}`);
  const output = (await ctx.probe(sh`${look('passwd', owner, 'nouser')}; ${look('group', group, 'nogroup')}`)).stdout;
  // owner first, as Ansible sets the owner before the group
  if (/^nouser$/m.test(output)) return `chown failed: failed to look up user ${want.owner ?? ''}`;
  if (/^nogroup$/m.test(output)) return `chgrp failed: failed to look up group ${want.group ?? ''}`;
  return undefined;
}

const needsLookup = (name: string | undefined, statName: string): name is string => byName(name) && (name !== statName || statName === 'UNKNOWN');

const byName = (v: string | undefined): v is string => v !== undefined && v !== '' && !/^\d+$/.test(v);
