/**
 * shell: runs text through a shell (`/bin/sh` unless `executable` says otherwise). The
 * text is the user's shell on purpose; it travels as one quoted `-c` argument, so the
 * chosen shell, not the session's, interprets it.
 */
import { sh } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { checkGuard, commandPlan, runTimed, problemOf } from './run.js';
import { extractInlineOptions } from './words.js';

const INLINE = ['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends'] as const;

const args = {
  _raw_params: { type: 'str', description: 'The shell text as free form.' },
  cmd: { type: 'str', description: 'The shell text.' },
  chdir: { type: 'path' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  executable: { type: 'path', description: 'Shell to run the text with (default /bin/sh).' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
} as const;

interface ShellSpec {
  text: string;
  chdir: string | undefined;
  creates: string | undefined;
  removes: string | undefined;
  executable: string;
  stdin: string | undefined;
}

function resolveShell(a: {
  _raw_params?: string | undefined;
  cmd?: string | undefined;
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  executable?: string | undefined;
  stdin?: string | undefined;
  stdin_add_newline: boolean;
}): ShellSpec {
  const raw = a._raw_params ?? a.cmd;
  if (raw === undefined || raw.trim() === '') throw new Error('no command given');
  const { rest, options } = extractInlineOptions(raw, INLINE);
  const stdin = a.stdin ?? options.stdin;
  const addNl = options.stdin_add_newline !== undefined ? !/^(no|false|off|0|n|f)$/i.test(options.stdin_add_newline) : a.stdin_add_newline;
  return {
    text: rest,
    chdir: a.chdir ?? options.chdir,
    creates: a.creates ?? options.creates,
    removes: a.removes ?? options.removes,
    executable: a.executable ?? options.executable ?? '/bin/sh',
    stdin: stdin === undefined ? undefined : stdin + (addNl ? '\n' : ''),
  };
}

export default defineModule({
  name: 'shell',
  args,
  freeForm: '_raw_params',
  freeFormKeys: [...INLINE],
  check: (a) => problemOf(() => resolveShell(a)),
  async plan(ctx, a) {
    const spec = resolveShell(a);
    return (await checkGuard(ctx, spec, spec.text)) ?? commandPlan(spec, spec.text);
  },
  async apply(ctx, a) {
    const spec = resolveShell(a);
    return runTimed(ctx, sh`exec ${spec.executable} -c ${spec.text}`, spec.text, {
      stdin: spec.stdin,
      chdir: spec.chdir,
      strip: a.strip_empty_ends,
    });
  },
});
