/** stat: facts about a path in one probe, shaped like Ansible's `stat` result. */
import { shellJoin, shellRaw, type ShellCommand } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { formatMode } from '../_lib/fileattrs.js';
import { probePath, type ChecksumAlgorithm, type PathInfo } from '../_lib/probe.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  follow: { type: 'bool', default: false },
  get_checksum: { type: 'bool', default: true },
  checksum_algorithm: { type: 'str', default: 'sha1', choices: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'], aliases: ['checksum', 'checksum_algo'] },
  get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
  get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
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
  if (t === 0o120000) {
    r.lnk_target = info.lnkTarget;
    if (info.realPath) r.lnk_source = info.realPath;
  }
  if (info.checksum) r.checksum = info.checksum;
  return r;
}

/**
 * What Ansible's stat adds beyond the probe, run inside the probe's own round trip (block
 * counts and st_rdev come from the probe's stat itself): access for the connecting user,
 * `file`'s MIME type and charset ('unknown' without `file`), lsattr's version and flags (none
 * where lsattr cannot tell). No command substitution: each would fork a subshell.
 */
function extrasCommand(mime: boolean, attrs: boolean): ShellCommand {
  const parts = [
    shellRaw('for t in r w x; do if test -$t "$p"; then echo 1; else echo 0; fi; done'),
    ...(mime ? [shellRaw('printf M; file --mime-type --mime-encoding -- "$p" 2>/dev/null || echo')] : []),
    ...(attrs ? [shellRaw('printf A; lsattr -vd -- "$p" 2>/dev/null || echo')] : []),
  ];
  return shellJoin(parts, ';');
}

function parseExtras(stdout: string, info: PathInfo, mime: boolean, attrs: boolean): Record<string, unknown> {
  const lines = stdout.split('\n');
  const b = info.blocks;
  const out: Record<string, unknown> = { blocks: b?.blocks, block_size: b?.blockSize, device_type: b?.rdev, readable: lines[0] === '1', writeable: lines[1] === '1', executable: lines[2] === '1' };
  const m = lines.find((l) => l.startsWith('M'));
  if (mime) {
    out.mimetype = out.charset = 'unknown';
    const fields = m?.slice(1).split(':').pop()?.split(';');
    if (fields?.length === 2) {
      out.mimetype = fields[0]!.trim();
      out.charset = fields[1]!.split('=')[1]?.trim();
    }
  }
  if (attrs) {
    const a = lines.find((l) => l.startsWith('A'))?.slice(1).trim().split(/\s+/);
    out.version = null;
    out.attributes = [];
    out.attr_flags = '';
    if (a && a.length >= 3) {
      out.version = a[0];
      out.attr_flags = a[1]!.replace(/-/g, '');
      out.attributes = attributeNames(String(out.attr_flags));
    }
  }
  return out;
}

/** lsattr's flag letters as Ansible names them (format_attributes). */
const ATTRIBUTE_NAMES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted', h: 'blocksize', i: 'immutable',
  I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous', t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};
function attributeNames(flags: string): string[] {
  return [...flags].map((f) => ATTRIBUTE_NAMES[f]).filter((n): n is string => n !== undefined);
}

export default defineModule({
  name: 'stat',
  args,
  async plan(ctx, a) {
    const algo = a.get_checksum ? (a.checksum_algorithm as ChecksumAlgorithm) : false;
    const extra = extrasCommand(a.get_mime, a.get_attributes);
    const info = await probePath(ctx, a.path, { follow: a.follow, checksum: algo, extra, blocks: true });
    if (!info) return { kind: 'ok', result: { stat: { exists: false } } };
    const stat = { ...statResult(info, a.path), ...parseExtras(info.extra ?? '', info, a.get_mime, a.get_attributes) };
    if (!stat.readable || !stat.isreg) delete stat.checksum;
    return { kind: 'ok', result: { stat } };
  },
});
