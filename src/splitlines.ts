/**
 * The one line splitter with Python's str.splitlines() semantics: a line ends at \n, \r, \r\n,
 * \v, \f, \x1c, \x1d, \x1e, \x85, \u2028 or \u2029, and no empty line follows the last end.
 * Ansible splits a module's stdout and stderr with it (stdout_lines, stderr_lines; the
 * executor adds them to every result of a module run on a host), and templates call it as
 * the `splitlines()` string method.
 */
const LINE_ENDS = new Set(['\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']);

/** str.splitlines(keepends): the lines, each with its own line end when `keepEnds`. */
export function splitLines(s: string, keepEnds = false): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!LINE_ENDS.has(c)) continue;
    const end = c === '\r' && s[i + 1] === '\n' ? i + 2 : i + 1;
    lines.push(s.slice(start, keepEnds ? end : i));
    start = end;
    i = end - 1;
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}
