/**
 * script: uploads a controller file to a temp path on the host and runs it with the
 * given arguments. The arguments are shell text, as in Ansible (they reach the host's
 * shell); the uploaded path is quoted.
 */
import { promises as fs } from 'node:fs';
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { runTimed, problemOf } from './run.js';
import { extractInlineOptions, tokenize } from './words.js';

const INLINE = ['creates', 'removes', 'chdir', 'executable'] as const;

const args = {
  _raw_params: { type: 'str', description: 'Local script path followed by its arguments.' },
  cmd: { type: 'str', description: 'Local script path followed by its arguments.' },
  chdir: { type: 'path' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  executable: { type: 'str', description: 'Interpreter to run the script with (e.g. /bin/bash).' },
} as const;

interface ScriptSpec {
  path: string;
  argsText: string;
  chdir: string | undefined;
  creates: string | undefined;
  removes: string | undefined;
  executable: string | undefined;
}

function resolveScript(a: {
  _raw_params?: string | undefined;
  cmd?: string | undefined;
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  executable?: string | undefined;
}): ScriptSpec {
  const raw = a._raw_params ?? a.cmd;
  if (raw === undefined || raw.trim() === '') throw new Error('no script path given');
  const { rest, options } = extractInlineOptions(raw, INLINE);
  const first = tokenize(rest)[0];
  if (!first) throw new Error('no script path given');
  return {
    path: first.value,
    argsText: rest.slice(first.end).trim(),
    chdir: a.chdir ?? options.chdir,
    creates: a.creates ?? options.creates,
    removes: a.removes ?? options.removes,
    executable: a.executable ?? options.executable,
  };
}

export default defineModule({
  name: 'script',
  args,
  freeForm: '_raw_params',
  freeFormKeys: [...INLINE],
  check: (a) => problemOf(() => resolveScript(a)),
  async plan(ctx, a) {
    const spec = resolveScript(a);
    // Ansible's script action: the guard first (a skip, in its words), then the file
    if (spec.creates !== undefined && (await ctx.stat(spec.creates))) return { kind: 'skip', msg: `${spec.creates} exists, matching creates option` };
    if (spec.removes !== undefined && !(await ctx.stat(spec.removes))) return { kind: 'skip', msg: `${spec.removes} does not exist, matching removes option` };
    try {
      await ctx.findLocalFile('files', spec.path);
    } catch (e) {
      return { kind: 'fail', msg: (e as Error).message };
    }
    // the script's effect cannot be predicted: check mode reports a guard that let it
    // through as the change, and without a guard skips the task, as Ansible's action does
    if (spec.creates !== undefined || spec.removes !== undefined) return { kind: 'change' };
    return { kind: 'change', inCheckMode: { kind: 'skip', msg: 'Check mode is not supported for this task.' } };
  },
  async apply(ctx, a) {
    const spec = resolveScript(a);
    const local = await ctx.findLocalFile('files', spec.path);
    const remote = await ctx.tempFile(await fs.readFile(local));
    // The arguments are the user's shell text, exactly as Ansible passes them to the shell.
    const argText = shellRaw(spec.argsText);
    const cmd =
      spec.executable !== undefined
        ? sh`${shellRaw(spec.executable)} ${remote} ${argText}`
        : sh`chmod u+x -- ${remote} && ${remote} ${argText}`;
    const r = await runTimed(ctx, cmd, `${spec.path} ${spec.argsText}`.trim(), { chdir: spec.chdir, strip: false });
    const { rc, stdout, stderr } = r.result ?? {};
    return { ...r, result: { rc, stdout, stderr } };
  },
});
