/**
 * Putting whole-file content at a remote path (copy, template): compare by sha1 first,
 * then an atomic write with attributes, validate and an optional backup.
 */
import { createHash } from 'node:crypto';
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

function resultFor(req: PutFileRequest, path: string, info: PathInfo | null, mode: number | undefined): ResultData {
  const r: ResultData = {
    ...req.result,
    dest: path,
    checksum: sha1(req.content),
    md5sum: md5(req.content),
    size: req.content.length,
    state: 'file',
  };
  const m = mode ?? info?.mode;
  if (m !== undefined) r.mode = formatMode(m);
  const owner = req.owner ?? info?.owner;
  const group = req.group ?? info?.group;
  if (owner) r.owner = owner;
  if (group) r.group = group;
  if (info && !req.owner) r.uid = info.uid;
  if (info && !req.group) r.gid = info.gid;
  return r;
}

export function planPutFile(ctx: ReadContext, req: PutFileRequest, path: string, info: PathInfo | null): Plan<PutFileData> {
  if (info?.type === 'directory') return { kind: 'fail', msg: `dest ${path} is a directory` };
  if (info && req.force === false) return { kind: 'ok', msg: 'file already exists', result: { dest: path, changed: false } };
  const contentChanged = !info || info.checksum !== sha1(req.content);
  const attrs = planAttrs(path, info, req, { follow: true });
  const attrChanged = info !== null && attrs.changes.length > 0;
  const result = resultFor(req, path, info, attrs.mode);
  if (!contentChanged && !attrChanged) return { kind: 'ok', result };
  const diff: FileDiff[] = [];
  if (contentChanged && ctx.diffMode) diff.push(contentDiff(path, info ? (info.content ?? null) : null, req.content));
  if (attrChanged && attrs.diff) diff.push(attrs.diff);
  const data: PutFileData = {
    dest: path,
    writePath: info?.realPath ?? path,
    backup: !!req.backup && info !== null && contentChanged,
    attrCommands: contentChanged ? [] : attrs.commands,
    writeAttrs: writeAttrs(req, info, attrs.mode, req.validate),
    result,
    createParent: info === null,
  };
  if (contentChanged) data.content = req.content;
  const changes = [...(contentChanged ? [info ? `update ${path}` : `create ${path}`] : []), ...(attrChanged ? attrs.changes : [])];
  return { kind: 'change', changes, diff, result, data };
}

export async function applyPutFile(ctx: WriteContext, data: PutFileData): Promise<Applied> {
  const result: ResultData = { ...data.result };
  const w = await applyWriteback(ctx, { ...data, path: data.dest }, (err) => `Destination directory for ${data.dest} cannot be created: ${err}`);
  if (w.backup !== undefined) result.backup_file = w.backup;
  if (w.failed !== undefined) return { failed: true, msg: w.failed, result };
  return { changed: true, result };
}
