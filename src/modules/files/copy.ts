/** copy: put content, a controller file or a controller directory (recursively) on the host. */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { sh } from '../../shell/quote.js';
import { pyJsonDumps } from '../../template/filters/json.js';
import { defineModule, type Plan, type ReadContext } from '../types.js';
import { fileAttrArgs, formatMode, resolveMode } from '../_lib/fileattrs.js';
import { probePath } from '../_lib/probe.js';
import { applyPutFile, md5, planPutFile, resolveDest, sha1, type PutFileData } from '../_lib/putfile.js';

const args = {
  src: { type: 'path' },
  // Ansible writes a dict or list given as content as JSON
  content: { type: 'raw', noLog: false },
  dest: { type: 'path', required: true },
  backup: { type: 'bool', default: false },
  force: { type: 'bool', default: true, aliases: ['thirsty'] },
  validate: { type: 'str' },
  remote_src: { type: 'bool', default: false },
  directory_mode: { type: 'mode' },
  follow: { type: 'bool', default: false },
  local_follow: { type: 'bool', default: true },
  decrypt: { type: 'bool', default: true },
  checksum: { type: 'str' },
  ...fileAttrArgs,
} as const;

interface CopyData {
  dirs: { path: string; mode?: string }[];
  files: PutFileData[];
}

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(root, { withFileTypes: true })) {
    const p = nodePath.join(root, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

type Attrs = { owner?: string | undefined; group?: string | undefined; mode?: string | number | undefined };

/** Copies a controller directory: 'dir/' copies its contents, 'dir' the directory itself. */
async function planDirectory(ctx: ReadContext, srcDir: string, src: string, a: Attrs & { dest: string; force: boolean; backup: boolean; directory_mode?: string | number | undefined }): Promise<Plan<CopyData>> {
  const base = src.endsWith('/') ? a.dest : nodePath.posix.join(a.dest, nodePath.basename(srcDir));
  const data: CopyData = { dirs: [], files: [] };
  const changes: string[] = [];
  const diff = [];
  const files = await walk(srcDir);
  const dirs = new Set<string>([base]);
  for (const f of files) {
    const rel = nodePath.relative(srcDir, f).split(nodePath.sep).join('/');
    for (let d = nodePath.posix.dirname(rel); d !== '.'; d = nodePath.posix.dirname(d)) dirs.add(nodePath.posix.join(base, d));
  }
  for (const d of [...dirs].sort()) {
    const info = await probePath(ctx, d, { follow: true });
    if (!info) {
      const mode = a.directory_mode !== undefined ? formatMode(resolveMode(a.directory_mode, undefined, true)) : undefined;
      data.dirs.push(mode ? { path: d, mode } : { path: d });
      changes.push(`create directory ${d}`);
    } else if (info.type !== 'directory') return { kind: 'fail', msg: `${d} exists and is not a directory` };
  }
  for (const f of files) {
    const rel = nodePath.relative(srcDir, f).split(nodePath.sep).join('/');
    const dest = nodePath.posix.join(base, rel);
    const content = await fs.readFile(f);
    const info = await probePath(ctx, dest, { follow: true, checksum: 'sha1', content: ctx.diffMode });
    const p = await planPutFile(ctx, { ...a, dest, content, parentsPlanned: true }, dest, info);
    if (p.kind === 'fail') return p;
    if (p.kind === 'change' && p.data) {
      data.files.push(p.data);
      changes.push(...(p.changes ?? []));
      diff.push(...(p.diff ?? []));
    }
  }
  const result = { dest: a.dest.endsWith('/') ? a.dest : `${a.dest}/`, src };
  return changes.length ? { kind: 'change', changes, diff, data, result } : { kind: 'ok', result };
}

export default defineModule<typeof args, CopyData>({
  name: 'copy',
  args,
  check(a) {
    if (a.src === undefined && a.content === undefined) return 'src (or content) is required';
    if (a.src !== undefined && a.content !== undefined) return 'src and content are mutually exclusive';
    if (a.validate !== undefined && !a.validate.includes('%s')) return `validate must contain %s: ${a.validate}`;
    if (a.content !== undefined && a.dest.endsWith('/')) return 'can not use content with a dir as dest';
    return undefined;
  },
  async plan(ctx, a) {
    let content: Buffer;
    let basename: string | undefined;
    if (a.content !== undefined) content = Buffer.from(typeof a.content === 'string' ? a.content : a.content !== null && typeof a.content === 'object' ? pyJsonDumps(a.content) : String(a.content));
    else if (a.remote_src) {
      const info = await probePath(ctx, a.src!, { follow: true });
      if (!info) return { kind: 'fail', msg: `Source ${a.src} not found` };
      if (info.type === 'directory') return { kind: 'fail', msg: `remote_src directories are not supported yet: ${a.src}` };
      const buf = await ctx.readFile(a.src!);
      if (!buf) return { kind: 'fail', msg: `Source ${a.src} not readable` };
      content = buf;
      basename = nodePath.posix.basename(a.src!);
    } else {
      let local: string;
      try {
        local = await ctx.findLocalFile('files', a.src!);
      } catch (e) {
        return { kind: 'fail', msg: (e as Error).message };
      }
      if ((await fs.stat(local)).isDirectory()) return planDirectory(ctx, local, a.src!, a);
      content = await fs.readFile(local);
      basename = nodePath.basename(local);
    }
    const { path, info } = await resolveDest(ctx, a.dest, basename);
    // Ansible's src is its temp upload unless the source is on the host (docs/deviations.md: copy-src)
    const remote = a.remote_src ? { src: a.src! } : {};
    const checkResult = a.remote_src ? { checksum: sha1(content), dest: path, md5sum: md5(content), src: a.src! } : {};
    const p = await planPutFile(ctx, { ...a, content, result: remote, checkResult }, path, info);
    if (p.kind === 'ok' || p.kind === 'fail' || p.kind === 'skip') return p;
    if (p.kind !== 'change') return { kind: 'fail', msg: 'unexpected plan' };
    return { ...p, data: { dirs: [], files: p.data ? [p.data] : [] } };
  },
  async apply(ctx, _a, data) {
    for (const d of data.dirs) {
      const r = await ctx.exec(d.mode ? sh`mkdir -p -- ${d.path} && chmod ${d.mode} -- ${d.path}` : sh`mkdir -p -- ${d.path}`);
      if (r.rc !== 0) return { failed: true, msg: `cannot create ${d.path}: ${r.stderr.trim()}` };
    }
    let last;
    for (const f of data.files) {
      last = await applyPutFile(ctx, f);
      if (last.failed) return last;
    }
    return data.files.length === 1 && last ? last : { changed: true };
  },
});
