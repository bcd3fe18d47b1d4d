/**
 * A real WriteContext over the local machine, for tests that need no lab: commands run
 * through `/bin/sh -c`, files through node:fs. Behaves like the executor's contexts
 * (atomic writes that keep an existing file's mode and owner, validate with %s).
 */
import { spawn } from 'node:child_process';
import { promises as fs, constants as fsc } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Templar } from '../../src/template/templar.js';
import { templateIncludeDirs } from '../../src/template/templateFile.js';
import type { ShellCommand } from '../../src/shell/quote.js';
import { quote, sh, shellRaw } from '../../src/shell/quote.js';
import type { ExecOptions, ExecResult, FileStat } from '../../src/connection/types.js';
import type { WriteContext } from '../../src/modules/types.js';
import { timedExec } from '../../src/modules/commands/run.js';
import { ValidationFailed } from '../../src/modules/_lib/validationFailed.js';

export interface LocalContextOptions {
  diffMode?: boolean;
  vars?: Record<string, unknown>;
  /** Where findLocalFile looks (files/ and templates/ below it, then the dir itself). */
  filesDir?: string;
  /** Every command run through probe/exec, in order (for assertions). */
  commandLog?: string[];
}

function run(cmd: ShellCommand, opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd.text], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ rc: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the command may exit without reading its input
      child.stdin.end(opts.stdin);
    }
  });
}

function toFileStat(s: import('node:fs').Stats): FileStat {
  const type = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'link' : 'other';
  return { type, size: s.size, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtime: Math.floor(s.mtimeMs / 1000) };
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsc.F_OK);
    return true;
  } catch {
    return false;
  }
}

export function makeLocalContext(opts: LocalContextOptions = {}): WriteContext {
  const temps: string[] = [];
  const log = opts.commandLog;
  // the production Templar, as the executor's contexts render
  const templar = new Templar({ baseDir: opts.filesDir ?? process.cwd() });
  const ctx: WriteContext = {
    host: 'localhost',
    vars: opts.vars ?? {},
    diffMode: opts.diffMode ?? false,
    verbosity: 0,
    log: { debug: () => {}, warn: () => {} },
    async probe(cmd, o) {
      log?.push(cmd.text);
      return run(cmd, o);
    },
    // the task's own command: timed, never in the background (no async in these contexts)
    runCommand(cmd: ShellCommand, o: ExecOptions) {
      return timedExec((c, x) => this.exec(c, x), cmd, o);
    },
    async exec(cmd, o) {
      log?.push(cmd.text);
      return run(cmd, o);
    },
    async readFile(path) {
      try {
        return await fs.readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async stat(path, follow = true) {
      try {
        return toFileStat(follow ? await fs.stat(path) : await fs.lstat(path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async findLocalFile(kind, path) {
      if (nodePath.isAbsolute(path)) return path;
      const base = opts.filesDir ?? process.cwd();
      for (const candidate of [nodePath.join(base, kind, path), nodePath.join(base, path)]) {
        if (await exists(candidate)) return candidate;
      }
      throw new Error(`could not find '${path}' in ${base}/${kind} or ${base}`);
    },
    async renderTemplate(text, extraVars, path, fileOpts) {
      const vars = { ...ctx.vars, ...extraVars };
      if (!path) return templar.renderString(text, vars, undefined, { ...fileOpts });
      const includeDirs = templateIncludeDirs(path, [templar.baseDir]);
      return templar.renderString(text, vars, { file: path, line: 1, col: 1 }, { ...fileOpts, includeDirs });
    },
    evaluate(expr) {
      return templar.evaluate(expr, ctx.vars);
    },
    template(text) {
      return templar.render(text, ctx.vars);
    },
    async facts() {
      return {};
    },
    async writeFile(path, data, attrs = {}) {
      const dir = nodePath.dirname(path);
      const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.kelpie-${process.pid}-${Date.now()}`);
      let prev: import('node:fs').Stats | undefined;
      try {
        prev = await fs.stat(path);
      } catch {
        prev = undefined;
      }
      try {
        await fs.writeFile(tmp, data);
        const mode = attrs.mode !== undefined ? (typeof attrs.mode === 'number' ? attrs.mode : parseInt(attrs.mode, 8)) : prev ? prev.mode & 0o7777 : undefined;
        if (mode !== undefined) await fs.chmod(tmp, mode);
        const own = [attrs.owner ?? (prev ? String(prev.uid) : ''), attrs.group ?? (prev ? String(prev.gid) : '')];
        if (own[0] || own[1]) {
          const spec = `${own[0] ?? ''}${own[1] ? ':' + own[1] : ''}`;
          const r = await run(sh`chown ${spec} -- ${tmp}`);
          if (r.rc !== 0) throw new Error(`chown failed: ${r.stderr.trim()}`);
        }
        if (attrs.validate) {
          const r = await run(shellRaw(attrs.validate.replaceAll('%s', quote(tmp))));
          if (r.rc !== 0) throw new ValidationFailed(r.rc, r.stdout, r.stderr);
        }
        await fs.rename(tmp, path);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    },
    async tempFile(data) {
      const p = nodePath.join(os.tmpdir(), `kelpie-tmp-${process.pid}-${temps.length}-${Date.now()}`);
      await fs.writeFile(p, data);
      temps.push(p);
      return p;
    },
  };
  return ctx;
}

/** A fresh temp directory for one test; remove it with `fs.rm(dir, {recursive: true})`. */
export async function makeTempDir(prefix = 'kelpie-test-'): Promise<string> {
  return fs.mkdtemp(nodePath.join(os.tmpdir(), prefix));
}
