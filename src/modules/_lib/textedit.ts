/**
 * The plan/apply flow shared by modules that edit a text file in place (lineinfile,
 * blockinfile, replace): one probe returns attributes and bytes, the module computes the
 * new bytes, this file adds attribute changes, backup and the atomic write.
 */
import type { ShellCommand } from '../../shell/quote.js';
import type { Applied, FileDiff, Plan, PlanOutcome, ReadContext, ResultData, WriteContext } from '../types.js';
import { contentDiff } from './diff.js';
import { planAttrs, writeAttrs, type WantedAttrs } from './fileattrs.js';
import { probePath, type PathInfo } from './probe.js';
import { applyWriteback } from './writeback.js';

export interface TextEditData {
  path: string;
  /** Where the bytes go: the symlink's target when `path` is a link, as Ansible does. */
  writePath: string;
  /** New bytes, or undefined when only attributes change. */
  content?: Buffer;
  create: boolean;
  backup: boolean;
  /** Result key for the backup name ('backup' for lineinfile, 'backup_file' elsewhere). */
  backupKey: 'backup' | 'backup_file';
  attrCommands: ShellCommand[];
  writeAttrs: ReturnType<typeof writeAttrs>;
  result: ResultData;
}

export interface TextEditCommon extends WantedAttrs {
  path: string;
  backup?: boolean | undefined;
  validate?: string | undefined;
}

/** Probes `path` with its bytes; fails the way Ansible does for directories. */
export async function probeText(ctx: ReadContext, path: string): Promise<{ info: PathInfo | null; fail?: Plan<TextEditData> }> {
  const info = await probePath(ctx, path, { follow: true, content: true });
  if (info?.type === 'directory') return { info, fail: { kind: 'fail', msg: `Path ${path} is a directory !`, result: { rc: 256 } } };
  return { info };
}

const ATTR_MSG = 'ownership, perms or SE linux context changed';

/**
 * Turns a computed edit into a Plan. `after` undefined means the content stays as is.
 * `result` is merged into the task result (msg included by the caller's convention).
 */
export function planTextEdit(
  ctx: ReadContext,
  args: TextEditCommon,
  info: PathInfo | null,
  edit: { after?: Buffer; msg: string; result?: ResultData; backupKey: 'backup' | 'backup_file' },
): Plan<TextEditData> {
  const pending = info === null ? (ctx.simulatedInstalls ?? []) : []; // empty outside check mode
  if (pending.length && edit.after !== undefined) {
    // The real run may find the file a package put there and edit that instead: a diff
    // that creates it from nothing would not be what happens.
    const names = pending.length > 4 ? `${pending.slice(0, 4).join(', ')} and ${pending.length - 4} more` : pending.join(', ');
    return { kind: 'unknown', reason: `${args.path} does not exist yet, and packages an earlier task would install (${names}) may ship it` };
  }
  const before = info?.content ?? null;
  const contentChanged = edit.after !== undefined && (before === null || !before.equals(edit.after));
  const attrs = planAttrs(args.path, info, args, { follow: true });
  // A file about to be created gets its attributes from the write itself.
  const attrChanged = info !== null && attrs.changes.length > 0;
  let msg = edit.msg;
  if (attrChanged) msg = contentChanged ? `${msg} and ${ATTR_MSG}` : ATTR_MSG;
  const result: ResultData = { ...edit.result, msg };
  if (edit.backupKey === 'backup') result.backup = '';
  if (!contentChanged && !attrChanged) return { kind: 'ok', msg, result };
  const diff: FileDiff[] = [];
  if (contentChanged && ctx.diffMode) diff.push(contentDiff(args.path, before ?? Buffer.alloc(0), edit.after!));
  if (attrChanged && attrs.diff) diff.push(attrs.diff);
  const data: TextEditData = {
    path: args.path,
    writePath: info?.realPath ?? args.path,
    create: info === null,
    backup: !!args.backup && info !== null && contentChanged,
    backupKey: edit.backupKey,
    attrCommands: contentChanged ? [] : attrs.commands,
    writeAttrs: writeAttrs(args, info, attrs.mode, args.validate),
    result,
  };
  if (contentChanged) data.content = edit.after!;
  const change: PlanOutcome = { kind: 'change', msg, changes: [...(contentChanged ? [edit.msg] : []), ...(attrChanged ? attrs.changes : [])], diff, result };
  // outside check mode the result is apply's: a refused validation reports none of it
  return { ...change, result: {}, data, inCheckMode: change };
}

export async function applyTextEdit(ctx: WriteContext, data: TextEditData): Promise<Applied> {
  const result: ResultData = { ...data.result };
  const w = await applyWriteback(ctx, { ...data, createParent: data.create }, (err) => `Error creating directory for ${data.path}: ${err}`);
  if (w.backup !== undefined) result[data.backupKey] = w.backup;
  // Ansible's lineinfile, replace and blockinfile fail with the message alone
  if (w.validation) return { failed: true, msg: w.validation.message };
  if (w.failed !== undefined) return { failed: true, msg: w.failed, result };
  return { changed: true, msg: String(result.msg ?? ''), result };
}
