/**
 * command: runs a program with arguments and no shell. Free-form text is split like
 * Python's shlex.split, every word is single-quoted, so pipes, globs, `;` and `$(...)`
 * reach the program literally; only `$VAR` and a leading `~` are expanded, as Ansible's
 * expand_argument_vars does.
 */
import { sh } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { checkGuard, commandPlan, NOT_FOUND, runTimed, problemOf } from './run.js';
import { extractInlineOptions, renderArgv, splitWords } from './words.js';

const INLINE = ['creates', 'removes', 'chdir', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'expand_argument_vars'] as const;

const args = {
  _raw_params: { type: 'str', description: 'The command as free-form text.' },
  cmd: { type: 'str', description: 'The command to run (split like free form).' },
  argv: { type: 'list', elements: 'str', description: 'The command as a list of words; no splitting.' },
  chdir: { type: 'path' },
  creates: { type: 'path', description: 'Do not run when this path (glob) exists.' },
  removes: { type: 'path', description: 'Run only when this path (glob) exists.' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
  expand_argument_vars: { type: 'bool', default: true },
} as const;

export interface CommandSpec {
  argv: string[];
  chdir: string | undefined;
  creates: string | undefined;
  removes: string | undefined;
  stdin: string | undefined;
  stdinAddNewline: boolean;
  strip: boolean;
  expand: boolean;
}

type Args = {
  _raw_params?: string | undefined;
  cmd?: string | undefined;
  argv?: string[] | undefined;
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  stdin?: string | undefined;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
  expand_argument_vars: boolean;
};

function flag(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return ['yes', 'true', 'on', '1', 'y', 't'].includes(v.toLowerCase());
}

/** Resolves free form / cmd / argv and inline `key=value` options into one spec. */
export function resolveCommand(a: Args): CommandSpec {
  const given = [a._raw_params, a.cmd, a.argv].filter((v) => v !== undefined && v !== '');
  if (given.length === 0) throw new Error('no command given');
  if (given.length > 1 && a.argv !== undefined) throw new Error('only command or argv can be given, not both');
  let inline: Record<string, string> = {};
  let argv: string[];
  if (a.argv !== undefined && a.argv.length > 0) argv = a.argv;
  else {
    const { rest, options } = extractInlineOptions(a._raw_params ?? a.cmd ?? '', INLINE);
    inline = options;
    argv = splitWords(rest);
    if (argv.length === 0) throw new Error('no command given');
  }
  return {
    argv,
    chdir: a.chdir ?? inline.chdir,
    creates: a.creates ?? inline.creates,
    removes: a.removes ?? inline.removes,
    stdin: a.stdin ?? inline.stdin,
    stdinAddNewline: inline.stdin_add_newline !== undefined ? flag(inline.stdin_add_newline, true) : a.stdin_add_newline,
    strip: inline.strip_empty_ends !== undefined ? flag(inline.strip_empty_ends, true) : a.strip_empty_ends,
    expand: inline.expand_argument_vars !== undefined ? flag(inline.expand_argument_vars, true) : a.expand_argument_vars,
  };
}

export default defineModule({
  name: 'command',
  args,
  freeForm: '_raw_params',
  freeFormKeys: [...INLINE],
  check: (a) => problemOf(() => resolveCommand(a)),
  async plan(ctx, a) {
    let spec: CommandSpec;
    try {
      spec = resolveCommand(a);
    } catch (e) {
      return { kind: 'fail', msg: (e as Error).message };
    }
    return (await checkGuard(ctx, spec, spec.argv)) ?? commandPlan(spec, spec.argv);
  },
  async apply(ctx, a) {
    const spec = resolveCommand(a);
    const words = renderArgv(spec.argv, spec.expand);
    // `set --` makes the (expanded) words positional parameters, so the not-found check
    // looks at exactly what exec will run; the connection runs this in a subshell.
    const cmd = sh`set -- ${words}; command -v -- "$1" >/dev/null 2>&1 || { printf '%s\\n' ${NOT_FOUND} >&2; exit 2; }; exec "$@"`;
    const stdin = spec.stdin === undefined ? undefined : spec.stdin + (spec.stdinAddNewline ? '\n' : '');
    return runTimed(ctx, cmd, spec.argv, { stdin, chdir: spec.chdir, strip: spec.strip });
  },
});
