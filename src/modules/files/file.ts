/** file: the state of a path (file, directory, link, hard, touch, absent) and its attributes. */
import { sh, shellJoin, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff, type PlanOutcome, type ReadContext, type ResultData } from '../types.js';
import { stateDiff } from '../_lib/diff.js';
import { fileAttrArgs, formatMode, planAttrs, validateMode } from '../_lib/fileattrs.js';
import { idLookupFailure, pathInfoResult, withPathInfo } from '../_lib/pathInfo.js';
import { probePath, type PathInfo } from '../_lib/probe.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
  src: { type: 'path' },
  recurse: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
  follow: { type: 'bool', default: true },
  access_time: { type: 'str' },
  access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  modification_time: { type: 'str' },
  modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  ...fileAttrArgs,
} as const;

interface FileData {
  commands: ShellCommand[];
  /** the result's own keys; apply adds the path's state after the change */
  base: ResultData;
  /** a symlink whose target's attributes Ansible would set (state=link, follow) */
  followsLink: boolean;
}

const DANGLING_WARNING = 'Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.';

/**
 * The result as Ansible reports it: the path's info, and for a symlink it would follow to a
 * target that does not exist, the warning that the target's attributes were left alone.
 * `known` is the path itself (not followed) as plan() probed it, when nothing changed since.
 */
async function finalResult(ctx: ReadContext, base: ResultData, followsLink: boolean, known?: PathInfo | null): Promise<ResultData> {
  const info = known !== undefined ? known : await probePath(ctx, String(base.path ?? base.dest), { follow: false, realPath: false });
  const result = pathInfoResult(base, info);
  if (!followsLink || !info?.dangling) return result;
  ctx.log.warn(DANGLING_WARNING);
  return { ...result, warnings: [DANGLING_WARNING] };
}

/**
 * Check mode reports the change with the path as it is now (Ansible reads it then); the
 * reading costs probes, so it is taken only in check mode.
 */
function asItIsNow(changes: string[], diff: FileDiff[], now: () => Promise<ResultData>): () => Promise<PlanOutcome> {
  return async () => ({ kind: 'change', changes, diff, result: await now() });
}

const stateOf = (i: PathInfo | null): string =>
  !i ? 'absent' : i.isLink && i.type === 'link' ? 'link' : i.type === 'directory' ? 'directory' : i.type === 'file' ? 'file' : 'file';

/** `touch -t` wants [[CC]YY]MMDDhhmm[.ss], the same as Ansible's default format. */
function touchCommands(path: string, atime: string | undefined, mtime: string | undefined, creating: boolean): ShellCommand[] {
  const cmds: ShellCommand[] = [];
  const stamp = (v: string | undefined, def: string): string => v ?? def;
  const a = stamp(atime, creating ? 'now' : 'now');
  const m = stamp(mtime, creating ? 'now' : 'now');
  if (a !== 'preserve') cmds.push(a === 'now' ? sh`touch -a -c -- ${path}` : sh`touch -a -c -t ${a} -- ${path}`);
  if (m !== 'preserve') cmds.push(m === 'now' ? sh`touch -m -c -- ${path}` : sh`touch -m -c -t ${m} -- ${path}`);
  return cmds;
}

export default defineModule<typeof args, FileData>({
  name: 'file',
  args,
  check(a) {
    if (a.mode !== undefined) {
      const bad = validateMode(a.mode);
      if (bad) return bad;
    }
    if ((a.state === 'link' || a.state === 'hard') && a.src === undefined) return `src is required for creating new ${a.state === 'link' ? 'symlinks' : 'hardlinks'}`;
    if (a.recurse && a.state !== undefined && a.state !== 'directory') return 'recurse option requires state to be \'directory\'';
    return undefined;
  },
  async plan(ctx, a) {
    const followLink = a.follow && a.state !== 'link' && a.state !== 'absent';
    const want = { owner: a.owner, group: a.group, mode: a.mode };
    const cur = await probePath(ctx, a.path, { follow: followLink, realPath: false });
    // the path itself as plan() found it, for the result keys when nothing changes
    const asIs = followLink && cur?.isLink ? undefined : cur;
    const prev = stateOf(cur);
    const state = a.state ?? (cur ? prev : a.recurse ? 'directory' : a.src !== undefined ? 'link' : 'file');
    const commands: ShellCommand[] = [];
    const changes: string[] = [];
    const diff: FileDiff[] = [];
    // Ansible names the path `dest` for touch and links, `path` otherwise
    const result: ResultData = state === 'touch' || state === 'link' || state === 'hard' ? { dest: a.path } : { path: a.path };
    const change = (what: string, after: string, cmds: ShellCommand[]): void => {
      changes.push(what);
      commands.push(...cmds);
      diff.push(stateDiff(a.path, prev, after));
    };
    let target: PathInfo | null = cur;
    switch (state) {
      case 'absent':
        if (cur) change(`remove ${a.path}`, 'absent', [sh`rm -rf -- ${a.path}`]);
        return changes.length
          ? { kind: 'change', changes, diff, data: { commands, base: { path: a.path, state: 'absent' }, followsLink: false }, result: {}, inCheckMode: asItIsNow(changes, diff, () => withPathInfo(ctx, { path: a.path }, asIs)) }
          : { kind: 'ok', result: { path: a.path, state: 'absent' } };
      case 'file':
        if (!cur) return { kind: 'fail', msg: `file (${a.path}) is absent, cannot continue`, result: { path: a.path, state: 'absent' } };
        if (cur.type === 'directory') return { kind: 'fail', msg: `file (${a.path}) is directory, cannot continue`, result: await withPathInfo(ctx, { path: a.path }, asIs) };
        break;
      case 'directory':
        if (!cur) {
          change(`create directory ${a.path}`, 'directory', [sh`mkdir -p -- ${a.path}`]);
          target = null;
        } else if (cur.type !== 'directory') return { kind: 'fail', msg: `there is already a file at ${a.path}`, result: { path: a.path } };
        break;
      case 'touch':
        if (!cur) change(`create ${a.path}`, 'file', [sh`touch -- ${a.path}`]);
        else {
          const cmds = touchCommands(a.path, a.access_time, a.modification_time, false);
          if (cmds.length) change(`touch ${a.path}`, prev, cmds);
        }
        break;
      case 'link':
      case 'hard': {
        const src = a.src!;
        const ok = state === 'link' ? cur?.isLink && cur.lnkTarget === src : cur && (await probePath(ctx, src, { follow: true }))?.inode === cur.inode && cur.type !== 'link';
        if (!ok) {
          if (state === 'link' && !a.force && !(await probePath(ctx, src.startsWith('/') ? src : `${a.path.replace(/[^/]*$/, '')}${src}`, { follow: true }))) {
            return { kind: 'fail', msg: `src file does not exist, use "force=yes" if you really want to create the link: ${src}`, result: { path: a.path, src } };
          }
          if (cur && !cur.isLink && cur.type === 'directory' && state === 'link' && !a.force) {
            return { kind: 'fail', msg: `refusing to convert from ${prev} to symlink for ${a.path}`, result: { path: a.path } };
          }
          if (cur && !cur.isLink && cur.type === 'file' && !a.force && state === 'link') {
            return { kind: 'fail', msg: `refusing to convert from file to symlink for ${a.path}`, result: { path: a.path } };
          }
          const ln = state === 'link' ? sh`ln -sfn -- ${src} ${a.path}` : sh`ln -f -- ${src} ${a.path}`;
          change(`${state} ${a.path} → ${src}`, state === 'link' ? `link → ${src}` : 'hard', [cur?.type === 'directory' && !cur.isLink ? shellJoin([sh`rm -rf -- ${a.path}`, ln]) : ln]);
          target = null;
        }
        result.src = src;
        break;
      }
    }
    // Ansible looks an owner or group name up before comparing it, on a path that exists
    const unknownId = target ? await idLookupFailure(ctx, want, target) : undefined;
    if (unknownId) return { kind: 'fail', msg: unknownId, result: await withPathInfo(ctx, { path: a.path }, asIs) };
    const isDir = state === 'directory' || cur?.type === 'directory';
    const attrs = planAttrs(a.path, target, want, { isDir, follow: state === 'link' ? false : a.follow });
    // New paths: chown/chmod only what was asked; on an existing path only what differs.
    const attrCmds = target ? attrs.commands : planAttrs(a.path, null, want, { isDir, follow: state !== 'link' }).commands;
    if (attrs.changes.length && target) changes.push(...attrs.changes);
    if (attrs.diff && target) diff.push(attrs.diff);
    commands.push(...attrCmds);
    if (a.recurse && state === 'directory') {
      const rec = await planRecurse(ctx, a.path, want);
      if (rec.length) {
        changes.push(`attributes below ${a.path}`);
        commands.push(...rec);
      }
    }
    // check mode and unchanged paths report the path as it is now (add_path_info, and a
    // dangling link's warning), as Ansible reads them then
    const followsLink = state === 'link' && a.follow;
    if (!commands.length) return { kind: 'ok', result: await finalResult(ctx, result, followsLink, asIs) };
    return { kind: 'change', changes, diff, data: { commands, base: result, followsLink }, result: {}, inCheckMode: asItIsNow(changes, diff, () => finalResult(ctx, result, followsLink, asIs)) };
  },
  async apply(ctx, _a, data) {
    for (const cmd of data.commands) {
      const r = await ctx.exec(cmd);
      if (r.rc !== 0) return { failed: true, msg: r.stderr.trim() || `'${cmd.text}' failed with rc ${r.rc}` };
    }
    return { changed: true, result: await finalResult(ctx, data.base, data.followsLink) };
  },
});

/** Recursive owner/group/mode: one `find` probe tells whether anything below differs. */
async function planRecurse(
  ctx: ReadContext,
  path: string,
  want: { owner?: string | undefined; group?: string | undefined; mode?: string | number | undefined },
): Promise<ShellCommand[]> {
  const cmds: ShellCommand[] = [];
  if (want.owner) {
    const r = await ctx.probe(sh`find ${path} ! -user ${want.owner} -print -quit`);
    if (r.rc !== 0 || r.stdout.trim()) cmds.push(sh`chown -R ${want.owner} -- ${path}`);
  }
  if (want.group) {
    const r = await ctx.probe(sh`find ${path} ! -group ${want.group} -print -quit`);
    if (r.rc !== 0 || r.stdout.trim()) cmds.push(sh`chgrp -R ${want.group} -- ${path}`);
  }
  if (want.mode !== undefined) {
    const m = typeof want.mode === 'number' ? formatMode(want.mode) : want.mode;
    // chmod's own symbolic semantics match Ansible's per-file evaluation for -R.
    const r = await ctx.probe(typeof want.mode === 'number' || /^[0-7]+$/.test(m) ? sh`find ${path} ! -perm ${m.replace(/^0(?=\d{3,4}$)/, '')} -print -quit` : sh`echo changed`);
    if (r.rc !== 0 || r.stdout.trim()) cmds.push(sh`chmod -R ${m} -- ${path}`);
  }
  return cmds;
}
