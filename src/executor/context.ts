/**
 * The contexts modules run in: ReadContext for plan(), WriteContext for apply(), both
 * on top of one host's Connection. The connection is opened lazily so controller-only
 * modules never connect.
 */
import type { TemplateFileOptions } from '../modules/types.js';
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { dirname, basename, isAbsolute, join } from 'node:path';
import { InterruptedError } from '../errors.js';
import type { BecomeSpec, Connection, ExecOptions, ExecResult, FileStat } from '../connection/types.js';
import type { Logger, ReadContext, WriteContext } from '../modules/types.js';
import type { CommandShape, TimedRun } from '../modules/types.js';
import { timedExec } from '../modules/commands/run.js';
import { ValidationFailed, VALIDATE_FAILED_MARK } from '../modules/_lib/validationFailed.js';
import { runJob, type AsyncJob } from './async.js';
import { sh, shellJoin, shellRaw, type ShellCommand } from '../shell/quote.js';

export interface HostContextDeps {
  host: string;
  vars: Record<string, unknown>;
  diffMode: boolean;
  simulatedInstalls?: readonly string[];
  verbosity: number;
  connection: () => Promise<Connection>;
  become: BecomeSpec | undefined;
  environment: Record<string, string> | undefined;
  /** Directories searched for relative `src` (role dir, playbook dir). */
  searchDirs: string[];
  render: (text: string, vars: Record<string, unknown>, path?: string, opts?: TemplateFileOptions) => string;
  evaluate: (expr: string, vars: Record<string, unknown>) => unknown;
  template: (text: string, vars: Record<string, unknown>) => unknown;
  facts: () => Promise<Record<string, unknown>>;
  log: Logger;
  timeoutMs: number | undefined;
  /** True once the run is being interrupted: the module may not start anything new on the host. */
  stopping: () => boolean;
  /** `async` on a module whose command runs as a background job on the host. */
  job?: AsyncJob;
}

const STAT_FORMAT = '%F|%s|%a|%u|%g|%Y';

export function parseStatLine(line: string): FileStat | null {
  const parts = line.trim().split('|');
  if (parts.length < 6) return null;
  const [kind, size, mode, uid, gid, mtime] = parts as [string, string, string, string, string, string];
  const type: FileStat['type'] = kind.includes('directory')
    ? 'directory'
    : kind.includes('symbolic link')
      ? 'link'
      : kind.includes('regular')
        ? 'file'
        : 'other';
  return { type, size: Number(size), mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid), mtime: Number(mtime) };
}

function modeArg(mode: string | number): string {
  return typeof mode === 'number' ? mode.toString(8).padStart(4, '0') : mode;
}

export class HostContext implements WriteContext {
  readonly host: string;
  readonly vars: Record<string, unknown>;
  readonly diffMode: boolean;
  readonly simulatedInstalls: readonly string[];
  readonly verbosity: number;
  readonly log: Logger;
  private readonly temps: string[] = [];

  constructor(private readonly d: HostContextDeps) {
    this.host = d.host;
    this.vars = d.vars;
    this.diffMode = d.diffMode;
    this.simulatedInstalls = d.simulatedInstalls ?? [];
    this.verbosity = d.verbosity;
    this.log = d.log;
  }

  /** Refuses new work on the host once the run is being interrupted (cleanup bypasses this). */
  private gate(): void {
    if (this.d.stopping()) throw new InterruptedError('interrupted: no new command is started on the host');
  }

  private async run(cmd: ShellCommand, opts: ExecOptions = {}): Promise<ExecResult> {
    this.gate();
    return this.runAnyway(cmd, opts);
  }

  /** Runs even while the run is being interrupted: for removing what a task left behind. */
  private async runAnyway(cmd: ShellCommand, opts: ExecOptions = {}): Promise<ExecResult> {
    const conn = await this.d.connection();
    const o: ExecOptions = { ...opts };
    if (this.d.become && o.become === undefined) o.become = this.d.become;
    if (this.d.environment && Object.keys(this.d.environment).length) o.env = { ...this.d.environment, ...(o.env ?? {}) };
    if (o.timeoutMs === undefined && this.d.timeoutMs !== undefined) o.timeoutMs = this.d.timeoutMs;
    return conn.exec(cmd, o);
  }

  /** kelpie's own read-only script (see ExecOptions.probe: it must not `exec` or trap EXIT). */
  probe(cmd: ShellCommand, opts?: Omit<ExecOptions, 'stdin'>): Promise<ExecResult> {
    return this.run(cmd, { ...opts, probe: true });
  }

  exec(cmd: ShellCommand, opts?: ExecOptions): Promise<ExecResult> {
    return this.run(cmd, opts);
  }

  runCommand(cmd: ShellCommand, opts: ExecOptions, shape: CommandShape): Promise<TimedRun> {
    const exec = (c: ShellCommand, o?: ExecOptions): Promise<ExecResult> => this.run(c, o);
    return this.d.job ? runJob(this.d.job, exec, cmd, opts, shape) : timedExec(exec, cmd, opts);
  }

  /** Files are read over SFTP unless become switches to another user, then through the shell. */
  private async viaShell(): Promise<boolean> {
    if (!this.d.become) return false;
    const conn = await this.d.connection();
    return conn.user !== this.d.become.user;
  }

  async readFile(path: string): Promise<Buffer | null> {
    if (await this.viaShell()) {
      const r = await this.run(sh`if [ -f ${path} ]; then base64 < ${path}; else echo __KELPIE_MISSING__; fi`);
      if (r.rc !== 0) throw new Error(`cannot read ${path}: ${r.stderr.trim()}`);
      if (r.stdout.startsWith('__KELPIE_MISSING__')) return null;
      return Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64');
    }
    this.gate();
    const conn = await this.d.connection();
    return conn.readFile(path);
  }

  async stat(path: string, follow = false): Promise<FileStat | null> {
    const r = await this.probe(follow ? sh`stat -L -c ${STAT_FORMAT} -- ${path}` : sh`stat -c ${STAT_FORMAT} -- ${path}`);
    if (r.rc !== 0) return null;
    return parseStatLine(r.stdout);
  }

  /** A controller file by Ansible's search order; not found: Ansible's AnsibleFileNotFound message. */
  async findLocalFile(kind: 'files' | 'templates', path: string): Promise<string> {
    const candidates: string[] = isAbsolute(path) ? [path] : [];
    if (!isAbsolute(path)) for (const dir of this.d.searchDirs) candidates.push(join(dir, kind, path), join(dir, path));
    for (const c of candidates) {
      try {
        await access(c);
        return c;
      } catch {
        /* try the next place */
      }
    }
    const searched = isAbsolute(path) ? '' : `\nSearched in:\n\t${candidates.join('\n\t')}`;
    throw new Error(`Could not find or access '${path}'${searched} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
  }

  async renderTemplate(text: string, extraVars?: Record<string, unknown>, path?: string, opts?: TemplateFileOptions): Promise<string> {
    const vars = extraVars ? { ...this.vars, ...extraVars } : this.vars;
    return this.d.render(text, vars, path, opts);
  }

  evaluate(expr: string): unknown {
    return this.d.evaluate(expr, this.vars);
  }

  template(text: string): unknown {
    return this.d.template(text, this.vars);
  }

  facts(): Promise<Record<string, unknown>> {
    return this.d.facts();
  }

  private async put(path: string, data: Buffer): Promise<void> {
    if (await this.viaShell()) {
      const r = await this.run(sh`cat > ${path}`, { stdin: data });
      // cat's stderr carries the errno text ("No space left on device")
      if (r.rc !== 0) throw new Error(`cannot write ${path}: ${r.stderr.trim()}`);
      return;
    }
    this.gate();
    const conn = await this.d.connection();
    await conn.writeFile(path, data);
  }

  async writeFile(
    path: string,
    data: Buffer | string,
    attrs: { mode?: string | number; owner?: string; group?: string; validate?: string } = {},
  ): Promise<void> {
    const tmp = join(dirname(path), `.${basename(path)}.kelpie-${randomBytes(6).toString('hex')}`);
    try {
      await this.put(tmp, typeof data === 'string' ? Buffer.from(data) : data);
    } catch (e) {
      // a partial upload (disk full, link lost, interrupted) must not stay behind and eat the space
      await this.runAnyway(sh`rm -f -- ${tmp}`).catch(() => undefined);
      throw e;
    }
    const steps: ShellCommand[] = [
      // keep the permissions and ownership of the file being replaced, like Ansible's atomic_move
      sh`{ if [ -e ${path} ]; then chmod --reference=${path} ${tmp} && chown --reference=${path} ${tmp}; else chmod 0644 ${tmp}; fi; }`,
    ];
    if (attrs.owner !== undefined) steps.push(sh`chown ${attrs.owner} ${tmp}`);
    if (attrs.group !== undefined) steps.push(sh`chgrp ${attrs.group} ${tmp}`);
    if (attrs.mode !== undefined) steps.push(sh`chmod ${modeArg(attrs.mode)} ${tmp}`);
    if (attrs.validate !== undefined) {
      if (!attrs.validate.includes('%s')) throw new Error(`validate must contain %s: ${attrs.validate}`);
      // the validate command is shell the user wrote; only the temp path is substituted, quoted.
      // Its failure is told apart from the other steps' by a last line on stderr.
      const validate = shellRaw(attrs.validate.split('%s').join(sh`${tmp}`.text));
      steps.push(sh`{ ${validate} || { rc=$?; printf '\\n%s\\n' ${VALIDATE_FAILED_MARK} >&2; (exit $rc); }; }`);
    }
    steps.push(sh`mv -f ${tmp} ${path}`);
    // temp files a killed run left beside this target (never the target itself) go too
    steps.push(sh`{ find ${dirname(path)} -maxdepth 1 -name ${`.${basename(path)}.kelpie-*`} -mmin +60 -delete 2>/dev/null || true; }`);
    const r = await this.run(shellRaw(`{ ${shellJoin(steps, '&&').text}; } || { rc=$?; rm -f ${sh`${tmp}`.text}; exit $rc; }`));
    if (r.rc !== 0 && r.stderr.endsWith(`\n${VALIDATE_FAILED_MARK}\n`)) {
      throw new ValidationFailed(r.rc, r.stdout, r.stderr.slice(0, -(VALIDATE_FAILED_MARK.length + 2)));
    }
    if (r.rc !== 0) {
      const what = attrs.validate !== undefined ? 'failed to validate or install' : 'failed to install';
      throw new Error(`${what} ${path}: ${(r.stderr || r.stdout).trim()}`);
    }
  }

  async tempFile(data: Buffer | string): Promise<string> {
    const tmp = `/tmp/.kelpie-${randomBytes(8).toString('hex')}`;
    this.temps.push(tmp); // before the upload: cleanup() removes a partial one too
    await this.put(tmp, typeof data === 'string' ? Buffer.from(data) : data);
    return tmp;
  }

  /** Removes temp files made by tempFile(); called by the executor after the task. */
  async cleanup(): Promise<void> {
    if (!this.temps.length) return;
    const files = this.temps.splice(0);
    await this.runAnyway(sh`rm -f ${files}`).catch(() => undefined);
  }
}

/**
 * What plan() gets: a frozen object holding only the read operations of the host's context.
 * It has no exec, writeFile or tempFile, and no way back to the context or its connection,
 * so a plan cannot change the host even by casting its type away: check mode is enforced
 * here at run time, not only by ReadContext's type. (A probe is a command: the modules
 * build probes that only look, and every one goes through the shell-quoting helper.)
 */
export function planView(ctx: ReadContext): ReadContext {
  // every member of ReadContext, spelled out: a member added there must be decided on here
  const view: { [K in keyof Required<ReadContext>]: ReadContext[K] } = {
    host: ctx.host,
    vars: ctx.vars,
    diffMode: ctx.diffMode,
    simulatedInstalls: ctx.simulatedInstalls ?? [],
    verbosity: ctx.verbosity,
    log: Object.freeze({ debug: (m: string) => ctx.log.debug(m), warn: (m: string) => ctx.log.warn(m) }),
    probe: (cmd, opts) => ctx.probe(cmd, opts),
    readFile: (path) => ctx.readFile(path),
    stat: (path, follow) => ctx.stat(path, follow),
    findLocalFile: (kind, path) => ctx.findLocalFile(kind, path),
    renderTemplate: (text, extraVars, path, opts) => ctx.renderTemplate(text, extraVars, path, opts),
    evaluate: (expr) => ctx.evaluate(expr),
    template: (text) => ctx.template(text),
    facts: () => ctx.facts(),
  };
  return Object.freeze(view);
}
