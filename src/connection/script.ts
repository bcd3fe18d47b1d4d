/**
 * The text kelpie writes into a persistent `/bin/sh` session, and the commands that start
 * one. Everything here is built with the quoting helper; user commands travel as ONE
 * single-quoted word and run through `eval` inside a subshell, so a syntax error, `exit`
 * or `cd` in a command cannot break or change the session.
 *
 * Protocol for one command (token = fresh random string):
 *   stdout: <junk> TOKEN s\n <command stdout> \n TOKEN e NNN \n     (NNN = exit status)
 *   stderr: <junk> TOKEN s\n <command stderr> \n TOKEN e NNN \n
 * The command runs in the background of the session shell so the shell keeps reading
 * its stdin: a timeout then writes `kill -TERM 0` (the session ignores TERM through a
 * trap; the command's process tree, which shares its process group, does not).
 *
 * A command runs inside a second subshell, so that one which `exec`s (the command module's
 * `exec "$@"`) or sets its own EXIT trap cannot take the end markers with it. kelpie's own
 * probe scripts mostly do neither, so a `probe` command whose text has no `trap` or `exec`
 * runs straight in the background group, whose EXIT trap prints the end markers (after
 * `exit N` too); any other keeps the subshell. On lab hosts a fork costs ~2.8 ms of CPU,
 * about what the probe's own program costs, and a rerun is mostly probes.
 */
import { randomBytes } from 'node:crypto';
import { quote, sh, type ShellCommand } from '../shell/quote.js';
import type { BecomeSpec } from './types.js';

export function newToken(): string {
  return `__kelpie_${randomBytes(12).toString('hex')}_`;
}

export const marker = {
  start: (t: string) => Buffer.from(`${t}s\n`),
  end: (t: string) => Buffer.from(`\n${t}e`), // followed by 3 digits and \n
  killed: (t: string) => Buffer.from(`${t}k\n`),
  ready: (t: string) => Buffer.from(`${t}r\n`),
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

export interface CommandScriptOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: Buffer;
  /** kelpie's own script: without the isolating subshell, unless its text mentions `trap` or `exec`. */
  probe?: boolean;
}

/** Words that let a script take the framing's EXIT trap or the shell itself with it. */
const SHIELD_NEEDED = /\b(trap|exec)\b/;

/** One command, framed by markers; ends with a newline (plus a here-document for stdin). */
export function commandScript(token: string, cmd: ShellCommand, opts: CommandScriptOptions): string {
  const prelude: string[] = [];
  if (opts.cwd !== undefined) prelude.push(sh`cd -- ${opts.cwd}`.text);
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!isValidEnvName(k)) throw new Error(`invalid environment variable name ${JSON.stringify(k)}`);
    prelude.push(`export ${k}=${quote(v)}`);
  }
  const body = [...prelude, `eval ${quote(cmd.text)}`].join(' && ');
  const q = quote(token);
  const heredoc = `${token}i`;
  const starts = `printf '%s\\n' ${q}s; printf '%s\\n' ${q}s >&2`;
  const ends = `printf '\\n%s%03d\\n' ${q}e $__r >&2; printf '\\n%s%03d\\n' ${q}e $__r`;
  // a probe whose text mentions `trap` or `exec` anywhere keeps the subshell: its own EXIT trap
  // (selinux's dependency probe cleans its temp dir so) would replace the one printing the end
  // markers, and the framing would wait for them until the timeout
  if (opts.probe && opts.stdin === undefined && !SHIELD_NEEDED.test(cmd.text)) {
    return `wait; { trap ${quote(`__r=$?; ${ends}`)} EXIT; ${starts}; ${body} </dev/null; } &\n`;
  }
  const run =
    opts.stdin === undefined
      ? `( ${body} ) </dev/null`
      : `base64 -d <<'${heredoc}' 2>/dev/null | ( ${body} )`;
  let text = `wait; { ${starts}; ${run}; __r=$?; ${ends}; } &\n`;
  if (opts.stdin !== undefined) {
    const b64 = opts.stdin.toString('base64').replace(/.{1,76}/g, '$&\n');
    text += `${b64}${heredoc}\n`;
  }
  return text;
}

/**
 * Kills the running command's process group (the session survives) and re-syncs. TERM
 * first; whatever is still in the group a second later (a command that ignores TERM, or
 * a child it left behind) gets KILL, sent by pid so the session shell is spared. No bare
 * `wait` before that: it would block on a process that ignores TERM.
 */
export function killScript(token: string): string {
  const q = quote(token);
  return (
    `kill -TERM 0 2>/dev/null; __i=0; while __kelpie_group && [ $__i -lt 10 ]; do sleep 0.1; __i=$((__i+1)); done; __kelpie_group KILL; wait; ` +
    `printf '%s\\n' ${q}k; printf '%s\\n' ${q}k >&2\n`
  );
}

/** Last resort when the session does not re-sync: kill the whole session's process group. */
export const killSessionScript = 'trap - TERM; kill -KILL 0\n';

/**
 * First lines of a session: survive our own `kill -TERM 0`, and define __kelpie_group:
 * true when a process other than the session shell (and its parent: sudo or su under
 * become) is in the session's process group; given a signal name, it sends it to each of
 * them. Reads /proc with builtins only: no procps needed, nothing forked per process.
 */
export const sessionSetupScript = [
  'trap : TERM',
  '__kelpie_group() { __k=$1; __f=1; read -r __s </proc/$$/stat; __s=${__s##*) }; set -- $__s; __g=$3; ' +
    'for __d in /proc/[0-9]*; do __p=${__d#/proc/}; [ "$__p" = "$$" ] || [ "$__p" = "$PPID" ] && continue; ' +
    'read -r __s 2>/dev/null <"$__d/stat" || continue; __s=${__s##*) }; set -- $__s; [ "$3" = "$__g" ] && [ "$1" != Z ] || continue; ' +
    '__f=0; [ -z "$__k" ] || kill -"$__k" "$__p" 2>/dev/null; done; return $__f; }',
  '',
].join('\n');

/** The command an exec channel (or local spawn) runs to start a session for an identity. */
export function launchCommand(readyToken: string, become: BecomeSpec | undefined, passwordPrompt: string): ShellCommand {
  const inner = `printf '%s\\n' ${quote(readyToken)}r; exec /bin/sh`;
  if (!become) return sh`exec /bin/sh -c ${inner}`;
  const user = become.user || 'root';
  if (become.method === 'su') return sh`exec su -s /bin/sh ${user} -c ${inner}`;
  if (become.password !== undefined) {
    return sh`exec sudo -S -p ${passwordPrompt} -H -u ${user} /bin/sh -c ${inner}`;
  }
  return sh`exec sudo -n -H -u ${user} /bin/sh -c ${inner}`;
}

export function identityKey(become: BecomeSpec | undefined): string {
  return become ? `${become.method}:${become.user || 'root'}` : 'login';
}

