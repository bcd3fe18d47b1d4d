/**
 * A module context that answers commands from recorded host output (fixture tests).
 * Unknown commands fail the test loudly, and every command is recorded, so a test proves
 * both what a module concluded and exactly what it would run. Batched probes
 * (src/modules/_lib/probeBatch.ts) are answered section by section.
 */
import type { ShellCommand } from '../../src/shell/quote.js';
import type { ExecOptions, ExecResult } from '../../src/connection/types.js';
import type { WriteContext } from '../../src/modules/types.js';
import { controllerStubs } from './controllerStubs.js';
import { timedExec } from '../../src/modules/commands/run.js';

export interface ScriptedReply {
  match: RegExp | string;
  rc?: number;
  stdout?: string;
  stderr?: string;
}

export interface ScriptedOptions {
  replies: ScriptedReply[];
  facts?: Record<string, unknown>;
  files?: Record<string, string>;
}

export interface ScriptedContext extends WriteContext {
  probes: string[];
  execs: string[];
  written: Record<string, string>;
}

function answer(replies: ScriptedReply[], text: string): ExecResult {
  const r = replies.find((x) => (typeof x.match === 'string' ? text.includes(x.match) : x.match.test(text)));
  if (!r) throw new Error(`scripted host has no reply for: ${text}`);
  return { rc: r.rc ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const SECTION = /^printf '\\n%s<%s\\n' (\S+) (\S+); \{ ([\s\S]*) ; \} (2>&1|2>\/dev\/null); printf '\\n%s>%s\\n' \S+ "\$\?"$/;

function run(replies: ScriptedReply[], text: string): ExecResult {
  const lines = text.split('\n');
  if (!lines.every((l) => SECTION.test(l))) return answer(replies, text);
  let stdout = '';
  for (const line of lines) {
    const [, token, key, cmd, redirect] = SECTION.exec(line)!;
    const r = answer(replies, cmd!);
    const body = r.stdout + (redirect === '2>&1' ? r.stderr : '');
    stdout += `\n${token}<${key}\n${body}\n${token}>${r.rc}\n`;
  }
  return { rc: 0, stdout, stderr: '' };
}

export function scriptedContext(opts: ScriptedOptions): ScriptedContext {
  const probes: string[] = [];
  const execs: string[] = [];
  const written: Record<string, string> = {};
  const files = { ...(opts.files ?? {}) };
  return {
    host: 'fixture',
    vars: {},
    diffMode: true,
    verbosity: 0,
    probes,
    execs,
    written,
    async probe(cmd: ShellCommand) {
      probes.push(cmd.text);
      return run(opts.replies, cmd.text);
    },
    // the task's own command: timed, never in the background (no async in these contexts)
    runCommand(cmd: ShellCommand, o: ExecOptions) {
      return timedExec((c, x) => this.exec(c, x), cmd, o);
    },
    async exec(cmd: ShellCommand) {
      execs.push(cmd.text);
      return run(opts.replies, cmd.text);
    },
    async readFile(path: string) {
      return path in files ? Buffer.from(files[path]!) : null;
    },
    async stat(path: string) {
      return path in files ? { type: 'file', size: files[path]!.length, mode: 0o644, uid: 0, gid: 0, mtime: 0 } : null;
    },
    ...controllerStubs(opts.facts),
    async writeFile(path: string, data: Buffer | string) {
      written[path] = data.toString();
      files[path] = data.toString();
    },
    async tempFile() {
      return '/tmp/kelpie-fixture-temp';
    },
  };
}
