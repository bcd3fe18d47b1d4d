/**
 * What Ansible's module runtime does for any module's path: the keys it adds to a result
 * naming an existing `path` (or `dest`) (AnsibleModule.add_path_info: ids and names, mode,
 * size and the kind of path as `state`), and its owner/group name lookup.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
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
  return pathInfoResult(base, known !== undefined ? known : await probePath(ctx, named, { follow: false }));
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
 * The lookup runs inside the module's probe of the path (ProbeOptions.extra); undefined when
 * no name needs looking up.
 */
export function idLookupCommand(want: WantedAttrs): ShellCommand | undefined {
  const owner = byName(want.owner) ? want.owner : undefined;
  const group = byName(want.group) ? want.group : undefined;
  if (owner === undefined && group === undefined) return undefined;
  const look = (db: 'passwd' | 'group', name: string | undefined, tag: string) => (name === undefined ? sh`:` : sh`getent ${db} ${name} >/dev/null || echo ${tag}`);
  return sh`${look('passwd', owner, 'nouser')}; ${look('group', group, 'nogroup')}`;
}

/** idLookupCommand's output → that failure's message, owner first, as Ansible sets the owner before the group. */
export function idLookupFailure(want: WantedAttrs, output: string | undefined): string | undefined {
  if (output === undefined) return undefined;
  if (/^nouser$/m.test(output)) return `chown failed: failed to look up user ${want.owner ?? ''}`;
  if (/^nogroup$/m.test(output)) return `chgrp failed: failed to look up group ${want.group ?? ''}`;
  return undefined;
}

const byName = (v: string | undefined): v is string => v !== undefined && v !== '' && !/^\d+$/.test(v);
