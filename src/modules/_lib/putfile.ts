/**
 * Putting whole-file content at a remote path (copy, template): compare by sha1 first,
 * then an atomic write with attributes, validate and an optional backup.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ShellCommand } from '../../shell/quote.js';
import type { Applied, FileDiff, Plan, ReadContext, ResultData, WriteContext } from '../types.js';
import { contentDiff } from './diff.js';
import { formatMode, planAttrs, writeAttrs, type WantedAttrs } from './fileattrs.js';
import { probePath, type PathInfo } from './probe.js';
import { applyWriteback } from './writeback.js';

export interface PutFileRequest extends WantedAttrs {
  dest: string;
  content: Buffer;
  /** false: leave an existing dest alone. */
  force?: boolean;
  backup?: boolean;
  validate?: string | undefined;
  /** Extra result keys (src...). */
  result?: ResultData;
  /** The caller creates missing parent directories (copying a directory tree). */
  parentsPlanned?: boolean;
  /** What check mode reports for new content (Ansible: nothing for uploaded content). */
  checkResult?: ResultData;
}

export interface PutFileData {
  dest: string;
  writePath: string;
  content?: Buffer;
  backup: boolean;
  attrCommands: ShellCommand[];
  writeAttrs: ReturnType<typeof writeAttrs>;
  result: ResultData;
  createParent: boolean;
  /** set when content is written: the result is rebuilt from it after the write */
  request?: PutFileRequest;
  /** the caller's extra result keys, for an attribute-only change */
  extra: ResultData;
}

export const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** Where content for `dest` lands: inside it when it is an existing directory or ends in '/'. */
export async function resolveDest(ctx: ReadContext, dest: string, basename: string | undefined): Promise<{ path: string; info: PathInfo | null }> {
  let info = await probePath(ctx, dest, { follow: true, checksum: 'sha1', content: ctx.diffMode });
  if ((info?.type === 'directory' || dest.endsWith('/')) && basename) {
    const path = dest.replace(/\/*$/, '/') + basename;
    info = await probePath(ctx, path, { follow: true, checksum: 'sha1', content: ctx.diffMode });
    return { path, info };
  }
  return { path: dest, info };
}

/**
 * The result Ansible's copy module gives for a file it leaves in place or only re-attributes:
 * the file module's view of dest (path, size, mode, ids), no md5sum.
 */
function fileResult(req: PutFileRequest, path: string, info: PathInfo): ResultData {
  return {
    ...req.result,
    dest: path,
    path,
    checksum: info.checksum ?? sha1(req.content),
    size: info.size,
    state: 'file',
    mode: formatMode(info.mode),
    owner: info.owner,
    group: info.group,
    uid: info.uid,
    gid: info.gid,
  };
}

/** After writing new content: what Ansible reports, with dest's attributes read back. */
function writtenResult(req: PutFileRequest, path: string, after: PathInfo | null): ResultData {
  return {
    ...req.result,
    dest: path,
    checksum: sha1(req.content),
    md5sum: md5(req.content),
    size: req.content.length,
    state: 'file',
    ...(after ? { mode: formatMode(after.mode), owner: after.owner, group: after.group, uid: after.uid, gid: after.gid } : {}),
  };
}

async function parentExists(ctx: ReadContext, path: string): Promise<boolean> {
  return (await probePath(ctx, posix.dirname(path), { follow: true }))?.type === 'directory';
}

export async function planPutFile(ctx: ReadContext, req: PutFileRequest, path: string, info: PathInfo | null): Promise<Plan<PutFileData>> {
  if (info?.type === 'directory') return { kind: 'fail', msg: `dest ${path} is a directory` };
  if (info && req.force === false) return { kind: 'ok', result: { ...req.result, dest: path } };
  if (!info && !req.parentsPlanned && !(await parentExists(ctx, path))) {
    return { kind: 'fail', msg: `Destination directory ${posix.dirname(path)} does not exist`, result: { checksum: sha1(req.content) } };
  }
  const contentChanged = !info || info.checksum !== sha1(req.content);
  const attrs = planAttrs(path, info, req, { follow: true });
  const attrChanged = info !== null && attrs.changes.length > 0;
  if (!contentChanged && !attrChanged) return { kind: 'ok', result: fileResult(req, path, info!) };
  // check mode: Ansible reports the re-attributed file as it is now, and nothing for new content
  const result = contentChanged ? { ...(req.checkResult ?? {}) } : fileResult(req, path, info!);
  const diff: FileDiff[] = [];
  if (contentChanged && ctx.diffMode) diff.push(contentDiff(path, info ? (info.content ?? null) : null, req.content));
  if (attrChanged && attrs.diff) diff.push(attrs.diff);
  const data: PutFileData = {
    dest: path,
    writePath: info?.realPath ?? path,
    backup: !!req.backup && info !== null && contentChanged,
    attrCommands: contentChanged ? [] : attrs.commands,
    writeAttrs: writeAttrs(req, info, attrs.mode, req.validate),
    result: contentChanged ? writtenResult(req, path, null) : result,
    createParent: info === null && !!req.parentsPlanned,
    ...(contentChanged ? { request: req } : {}),
    extra: req.result ?? {},
  };
  if (contentChanged) data.content = req.content;
  const changes = [...(contentChanged ? [info ? `update ${path}` : `create ${path}`] : []), ...(attrChanged ? attrs.changes : [])];
  return { kind: 'change', changes, diff, result, data };
}

export async function applyPutFile(ctx: WriteContext, data: PutFileData): Promise<Applied> {
  const w = await applyWriteback(ctx, { ...data, path: data.dest }, (err) => `Destination directory for ${data.dest} cannot be created: ${err}`);
  if (w.validation && data.content) {
    // Ansible's copy module: the validate command's exit status and output (the executor adds
    // their *_lines, as for every result), and the content's checksum
    const { rc, stdout, stderr } = w.validation;
    const result = { checksum: sha1(data.content), exit_status: rc, stdout, stderr };
    return { failed: true, changed: false, msg: 'failed to validate', result };
  }
  if (w.failed !== undefined) return { failed: true, msg: w.failed, result: { ...data.result } };
  const after = await probePath(ctx, data.dest, { follow: true, checksum: data.request ? false : 'sha1' });
  const result: ResultData = data.request ? writtenResult(data.request, data.dest, after) : after ? fileResult({ content: Buffer.alloc(0), dest: data.dest, result: data.extra }, data.dest, after) : { ...data.result };
  if (w.backup !== undefined) result.backup_file = w.backup;
  return { changed: true, result };
}
