/**
 * One round trip to learn everything modules need about a remote path: existence, type,
 * mode, ids and names, size, times, link target and (optionally) a checksum.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { ReadContext } from '../types.js';

export type PathType = 'file' | 'directory' | 'link' | 'other';

export interface PathInfo {
  path: string;
  type: PathType;
  /** Full st_mode (type bits included); `mode` holds only permission bits. */
  rawMode: number;
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  inode: number;
  dev: number;
  nlink: number;
  /** Set when the path itself is a symlink (even when followed). */
  lnkTarget?: string;
  /** The probed path is a symlink (type describes the target when followed). */
  isLink: boolean;
  /** The probed path is a symlink whose target does not exist (os.path.exists is false). */
  dangling?: boolean;
  checksum?: string;
  /** realpath of the probed path when it is a symlink. */
  realPath?: string;
  /** File bytes, when asked for with `content` (regular files only). */
  content?: Buffer;
  /** The output of ProbeOptions.extra. */
  extra?: string;
  /** st_blocks, st_blksize and st_rdev, when asked for with `blocks`. */
  blocks?: { blocks: number; blockSize: number; rdev: number };
}

export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface ProbeOptions {
  /** Follow a final symlink (stat -L). */
  follow?: boolean;
  /** Compute a checksum of regular files. */
  checksum?: ChecksumAlgorithm | false;
  /** Also return a regular file's bytes (base64 through the same round trip). */
  content?: boolean;
  /**
   * More read-only shell text to run on an existing path in the same round trip (`$p` is the
   * path); its output comes back in `extra` and its exit status is ignored. Its lines must
   * not read `CONTENT`.
   */
  extra?: ShellCommand;
  /** Also st_blocks, st_blksize and st_rdev (the stat module's keys), from the same stat process. */
  blocks?: boolean;
  /** A symlink's resolved path (`realPath`, one `readlink -f` process); false when the caller does not use it. Default true. */
  realPath?: boolean;
}

function typeOf(rawMode: number): PathType {
  const t = rawMode & 0o170000;
  if (t === 0o100000) return 'file';
  if (t === 0o040000) return 'directory';
  if (t === 0o120000) return 'link';
  return 'other';
}

/** The shell text of the probe; exported for fixture tests. */
export function probeCommand(path: string, opts: ProbeOptions = {}): ShellCommand {
  const statFlag = opts.follow ? shellRaw('-L ') : shellRaw('');
  const sum = opts.checksum ? shellRaw(`${opts.checksum}sum`) : undefined;
  // Names come on lines of their own because they may contain spaces.
  const fmt = `%f %u %g %s %X %Y %Z %i %d %h\n%U\n%G${opts.blocks ? '\nB%b %o %r' : ''}`;
  const sumPart = sum ? sh`; if [ -f "$p" ] && [ -r "$p" ]; then ${sum} < "$p"; fi` : shellRaw('');
  const extraPart = opts.extra ? sh`; echo EXTRA; { ${opts.extra} ; } || :` : shellRaw('');
  const realPart = opts.realPath === false ? shellRaw('') : shellRaw(' printf R; readlink -f -- "$p" || echo;');
  const contentPart = opts.content ? shellRaw('; if [ -f "$p" ]; then echo CONTENT; base64 < "$p"; fi') : shellRaw('');
  return sh`p=${path}; if [ -e "$p" ] || [ -L "$p" ]; then stat ${statFlag}-c ${fmt} -- "$p" || echo STATFAIL; if [ -L "$p" ]; then printf L; readlink -- "$p" || echo;${realPart} [ -e "$p" ] || echo DANGLING; fi${sumPart}${extraPart}${contentPart}; else echo MISSING; fi`;
}

/** Parses probeCommand's output; null when the path does not exist. */
export function parseProbe(path: string, stdout: string): PathInfo | null {
  if (stdout.startsWith('MISSING')) return null;
  const lines = stdout.split('\n');
  const nums = (lines[0] ?? '').trim().split(/\s+/);
  if (nums.length < 10) throw new Error(`unexpected stat output for ${path}: ${stdout.slice(0, 200)}`);
  const rawMode = parseInt(nums[0]!, 16);
  const n = (i: number): number => Number(nums[i]);
  const info: PathInfo = {
    path,
    type: typeOf(rawMode),
    rawMode,
    mode: rawMode & 0o7777,
    uid: n(1),
    gid: n(2),
    size: n(3),
    atime: n(4),
    mtime: n(5),
    ctime: n(6),
    inode: n(7),
    dev: n(8),
    nlink: n(9),
    owner: lines[1] ?? '',
    group: lines[2] ?? '',
    isLink: false,
  };
  const rest = lines.slice(3);
  const c = rest.indexOf('CONTENT');
  if (c >= 0) {
    info.content = Buffer.from(rest.slice(c + 1).join(''), 'base64');
    rest.length = c;
  }
  const x = rest.indexOf('EXTRA');
  if (x >= 0) {
    info.extra = rest.slice(x + 1).join('\n');
    rest.length = x;
  }
  for (const line of rest) {
    const b = /^B(\d+) (\d+) (\d+)$/.exec(line);
    if (b) info.blocks = { blocks: Number(b[1]), blockSize: Number(b[2]), rdev: Number(b[3]) };
    else if (line === 'DANGLING') info.dangling = true;
    else if (line.startsWith('R')) info.realPath = line.slice(1);
    else if (line.startsWith('L')) {
      info.lnkTarget = line.slice(1);
      info.isLink = true;
    } else if (/^[0-9a-f]{32,128}\b/.test(line)) info.checksum = line.split(/\s/)[0]!;
  }
  return info;
}

export async function probePath(ctx: ReadContext, path: string, opts: ProbeOptions = {}): Promise<PathInfo | null> {
  const r = await ctx.probe(probeCommand(path, opts));
  const statFailed = /^STATFAIL$/m.test(r.stdout);
  if (r.rc !== 0 && !statFailed) throw new Error(`cannot stat ${path}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  if (statFailed) {
    // stat -L on a dangling symlink: report the link itself.
    if (opts.follow) return probePath(ctx, path, { ...opts, follow: false });
    throw new Error(`cannot stat ${path}: ${r.stderr.trim()}`);
  }
  return parseProbe(path, r.stdout);
}
