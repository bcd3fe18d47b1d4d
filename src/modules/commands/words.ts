/**
 * Word handling for free-form command text, the way Ansible does it: Python's
 * `shlex.split` (POSIX mode) for `command:`, and extraction of inline `key=value`
 * options (`command: make chdir=/src creates=/src/a.out`) from the free-form text.
 */
import { quote, shellRaw, type ShellCommand } from '../../shell/quote.js';

export { tokenize, splitWords, type Token } from '../../shell/shlex.js';
import { tokenize, type Token } from '../../shell/shlex.js';

/**
 * Pulls `key=value` words whose key is in `keys` out of free-form text. The rest of
 * the text is kept byte for byte (multi-line shell scripts keep their newlines).
 * Text that does not tokenize (an unclosed quote) is returned unchanged.
 */
export function extractInlineOptions(
  text: string,
  keys: readonly string[],
): { rest: string; options: Record<string, string> } {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return { rest: text, options: {} };
  }
  const options: Record<string, string> = {};
  let rest = '';
  let pos = 0;
  for (const t of tokens) {
    const eq = t.value.indexOf('=');
    const key = eq > 0 ? t.value.slice(0, eq) : '';
    // Only a bare key counts: `"creates=x"` quoted as a whole is an argument, not an option.
    if (key && keys.includes(key) && text.slice(t.start, t.start + key.length + 1) === key + '=') {
      options[key] = t.value.slice(eq + 1);
      rest += text.slice(pos, t.start);
      pos = t.end;
    }
  }
  rest += text.slice(pos);
  return { rest: Object.keys(options).length ? rest.replace(/[ \t]+$/gm, '').trim() : text, options };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One argv word as shell text. With `expand`, mirrors Python's
 * `os.path.expanduser(os.path.expandvars(word))` that Ansible's command module applies:
 * `$NAME` / `${NAME}` become the environment value (unchanged when unset), a leading
 * `~` or `~user` becomes a home directory. Everything else is single-quoted, so no
 * globbing, no command substitution, no splitting.
 */
export function renderWord(word: string, expand: boolean): string {
  if (!expand || (!word.includes('$') && !word.startsWith('~'))) return quote(word);
  let out = '';
  let rest = word;
  const tilde = /^~([a-z_][a-z0-9_.-]*)?(?=\/|$)/i.exec(rest);
  if (tilde) {
    out += tilde[0];
    rest = rest.slice(tilde[0].length);
  }
  const re = /\$(?:([A-Za-z0-9_]+)|\{([^}]*)\})/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const name = m[1] ?? m[2] ?? '';
    if (!NAME.test(name)) continue;
    if (m.index > last) out += quote(rest.slice(last, m.index));
    // `${X-\$X}` keeps the literal reference when X is unset, as expandvars does
    // (`\}` keeps the braces form's closing brace from ending the expansion).
    const literal = m[1] !== undefined ? `\\$${name}` : `\\\${${name}\\}`;
    out += `"\${${name}-${literal}}"`;
    last = m.index + m[0].length;
  }
  if (last < rest.length) out += quote(rest.slice(last));
  return out === '' ? "''" : out;
}

/** argv → shell words, each rendered by renderWord. */
export function renderArgv(argv: readonly string[], expand: boolean): ShellCommand {
  return shellRaw(argv.map((w) => renderWord(w, expand)).join(' '));
}

/**
 * A `creates`/`removes` pattern as a shell word that globs like Python's glob.glob:
 * literal parts are quoted, only `*` and `?` stay active.
 */
export function renderGlob(pattern: string): ShellCommand {
  const parts = pattern.split(/([*?])/);
  return shellRaw(parts.map((p) => (p === '*' || p === '?' ? p : p === '' ? '' : quote(p))).join('') || "''");
}
