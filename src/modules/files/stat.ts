/** stat: facts about a path in one probe, shaped like Ansible's `stat` result. */
import { sh } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { formatMode } from '../_lib/fileattrs.js';
import { probePath, type ChecksumAlgorithm, type PathInfo } from '../_lib/probe.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  follow: { type: 'bool', default: false },
  get_checksum: { type: 'bool', default: true },
  checksum_algorithm: { type: 'str', default: 'sha1', choices: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'], aliases: ['checksum', 'checksum_algo'] },
  get_mime: { type: 'bool', default: false, aliases: ['mime', 'mime_type', 'mime-type'] },
  get_attributes: { type: 'bool', default: false, aliases: ['attr', 'attributes'] },
  get_md5: { type: 'bool', default: false },
} as const;

/** Ansible's stat dictionary for a probed path. */
export function statResult(info: PathInfo, path: string): Record<string, unknown> {
  const m = info.rawMode;
  const t = m & 0o170000;
  const bit = (b: number): boolean => (m & b) !== 0;
  const r: Record<string, unknown> = {
    exists: true,
    path,
    mode: formatMode(info.mode),
    isdir: t === 0o040000,
    ischr: t === 0o020000,
    isblk: t === 0o060000,
    isreg: t === 0o100000,
    isfifo: t === 0o010000,
    islnk: t === 0o120000,
    issock: t === 0o140000,
    uid: info.uid,
    gid: info.gid,
    size: info.size,
    inode: info.inode,
    dev: info.dev,
    nlink: info.nlink,
    atime: info.atime,
    mtime: info.mtime,
    ctime: info.ctime,
    wusr: bit(0o200), rusr: bit(0o400), xusr: bit(0o100),
    wgrp: bit(0o020), rgrp: bit(0o040), xgrp: bit(0o010),
    woth: bit(0o002), roth: bit(0o004), xoth: bit(0o001),
    isuid: bit(0o4000), isgid: bit(0o2000),
    pw_name: info.owner,
    gr_name: info.group,
  };
  if (info.isLink) {
    r.lnk_target = info.lnkTarget;
    if (info.realPath) r.lnk_source = info.realPath;
  }
  if (info.checksum) r.checksum = info.checksum;
  return r;
}

export default defineModule({
  name: 'stat',
  args,
  async plan(ctx, a) {
    const algo = a.get_checksum ? (a.checksum_algorithm as ChecksumAlgorithm) : false;
    const info = await probePath(ctx, a.path, { follow: a.follow, checksum: algo });
    if (!info) return { kind: 'ok', result: { stat: { exists: false } } };
    const stat = statResult(info, a.path);
    if (a.get_mime) {
      const r = await ctx.probe(sh`file -b --mime-type -- ${a.path} && file -b --mime-encoding -- ${a.path}`);
      if (r.rc === 0) {
        const [type, charset] = r.stdout.trim().split('\n');
        stat.mimetype = type;
        stat.charset = charset;
      }
    }
    return { kind: 'ok', result: { stat } };
  },
});
