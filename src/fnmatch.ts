/**
 * The one shell-style wildcard matcher (Python's fnmatch, which Ansible uses for host patterns,
 * find, setup's filter, apt versions and fileglob): `*` any run of characters, `?` one
 * character, `[seq]` / `[!seq]` a character class, an unclosed `[` literal. OpenSSH's
 * known_hosts patterns are the same without classes and ignore case.
 */
export interface WildcardOptions {
  /** `[seq]` classes (default true); OpenSSH patterns have none. */
  classes?: boolean;
  ignoreCase?: boolean;
}

/** The regular-expression source of a wildcard pattern, unanchored (to embed in a bigger expression). */
export function wildcardSource(pattern: string, opts: WildcardOptions = {}): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[' && opts.classes !== false) {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++; // a leading ']' is a member, not the end
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, j).replace(/[\\\]]/g, '\\$&');
      if (body.startsWith('!')) body = '^' + body.slice(1);
      else if (body.startsWith('^')) body = '\\' + body;
      out += `[${body}]`;
      i = j;
    } else out += c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return out;
}

/** A RegExp matching whole strings against a wildcard pattern. */
export function wildcardRegExp(pattern: string, opts: WildcardOptions = {}): RegExp {
  return new RegExp(`^${wildcardSource(pattern, opts)}$`, opts.ignoreCase ? 'i' : '');
}

/** Python's fnmatch.fnmatchcase: does the whole `name` match `pattern`? */
export function fnmatch(name: string, pattern: string, opts: WildcardOptions = {}): boolean {
  return wildcardRegExp(pattern, opts).test(name);
}
