/**
 * Owner/group/mode handling shared by every module that manages files: Ansible's mode
 * rules (octal strings, symbolic `u+rwx,g-w`, ints taken as-is), comparison against a
 * probed path, and the chown/chmod commands that bring it in line.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import type { FileDiff } from '../types.js';
import type { PathInfo } from './probe.js';

export interface WantedAttrs {
  owner?: string | undefined;
  group?: string | undefined;
  mode?: string | number | undefined;
}

const PERM_BITS = 0o7777;

/** '0644' (and '4755') like Ansible's "%04o". */
export function formatMode(mode: number): string {
  return (mode & PERM_BITS).toString(8).padStart(4, '0');
}

/** Is `mode` an octal string ('0644', '644', '0o644')? */
function octalString(mode: string): number | undefined {
  const m = /^(?:0o)?([0-7]{1,5})$/i.exec(mode.trim());
  return m ? parseInt(m[1]!, 8) : undefined;
}

/** Throws for a malformed mode; used by check() so bad modes fail before any host is touched. */
export function validateMode(mode: string | number): string | undefined {
  if (typeof mode === 'number') return Number.isInteger(mode) && mode >= 0 ? undefined : `bad mode ${mode}`;
  if (mode === 'preserve' || octalString(mode) !== undefined) return undefined;
  try {
    symbolicToNumeric(mode, 0o644, false);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const WHO_MASK: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

function permsFor(who: 'u' | 'g' | 'o', perm: string, prev: number, isDir: boolean, umask: number | undefined): number {
  const shift = who === 'u' ? 6 : who === 'g' ? 3 : 0;
  const masked = (bit: number): number => (umask === undefined ? bit : bit & ~umask & 0o777);
  switch (perm) {
    case 'r':
      return masked(4 << shift);
    case 'w':
      return masked(2 << shift);
    case 'x':
      return masked(1 << shift);
    case 'X':
      return isDir || (prev & 0o111) !== 0 ? 1 << shift : 0;
    case 's':
      return who === 'u' ? 0o4000 : who === 'g' ? 0o2000 : 0;
    case 't':
      return who === 'o' ? 0o1000 : 0;
    case 'u':
      return (((prev >> 6) & 7) << shift) & 0o777;
    case 'g':
      return (((prev >> 3) & 7) << shift) & 0o777;
    case 'o':
      return ((prev & 7) << shift) & 0o777;
    default:
      return 0;
  }
}

/**
 * chmod-style symbolic modes ("u=rw-x+X,g=r-x+X,o=r-x+X"), with Ansible's quirk that copy
 * perms (g=u) and X read the mode from before the whole expression. Umask applies when
 * no "who" is given, as in chmod.
 */
export function symbolicToNumeric(expr: string, current: number, isDir: boolean, umask = 0o022): number {
  const prev = current & PERM_BITS;
  let mode = prev;
  for (const clause of expr.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) throw new Error(`bad symbolic permission for mode: ${clause}`);
    let who = m[1]!;
    const useUmask = who === '';
    if (who === '' || who.includes('a')) who = 'ugo';
    for (const op of m[2]!.match(/[-+=][rwxXstugo]*/g) ?? []) {
      const operator = op[0]!;
      for (const w of new Set(who)) {
        const u = w as 'u' | 'g' | 'o';
        let bits = 0;
        for (const perm of op.slice(1)) bits |= permsFor(u, perm, prev, isDir, useUmask ? umask : undefined);
        if (operator === '=') mode = (mode & ~WHO_MASK[u]! & PERM_BITS) | bits;
        else if (operator === '+') mode |= bits;
        else mode &= ~bits;
      }
    }
  }
  return mode;
}

/** The numeric mode a `mode:` argument asks for, given the path's current mode. */
export function resolveMode(mode: string | number, currentMode: number | undefined, isDir: boolean, umask = 0o022): number {
  if (typeof mode === 'number') return mode & PERM_BITS; // YAML int: 0644 in YAML 1.1 is already 420
  const oct = octalString(mode);
  if (oct !== undefined) return oct;
  const base = currentMode ?? (isDir ? 0o777 : 0o666) & ~umask;
  return symbolicToNumeric(mode, base, isDir, umask);
}

function sameId(want: string, name: string | undefined, id: number | undefined): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

export interface AttrPlan {
  /** Human lines: "mode 0644 → 0600". */
  changes: string[];
  commands: ShellCommand[];
  /** Resolved target mode when one was requested. */
  mode?: number;
  diff?: FileDiff;
}

/**
 * What it takes to make `cur` carry the wanted attributes. With `cur` null (the file is
 * about to be created) every wanted attribute is reported and applied.
 */
export function planAttrs(
  path: string,
  cur: PathInfo | null,
  want: WantedAttrs,
  opts: { isDir?: boolean; follow?: boolean; umask?: number } = {},
): AttrPlan {
  const isDir = opts.isDir ?? cur?.type === 'directory';
  const noDeref = opts.follow === false && cur?.type === 'link';
  const changes: string[] = [];
  const commands: ShellCommand[] = [];
  const before: string[] = [];
  const after: string[] = [];
  const out: AttrPlan = { changes, commands };
  if (want.owner !== undefined && want.owner !== '' && !sameId(want.owner, cur?.owner, cur?.uid)) {
    changes.push(`owner ${cur?.owner ?? '-'} → ${want.owner}`);
    before.push(`owner: ${cur?.owner ?? ''}`);
    after.push(`owner: ${want.owner}`);
    commands.push(noDeref ? sh`chown -h ${want.owner} -- ${path}` : sh`chown ${want.owner} -- ${path}`);
  }
  if (want.group !== undefined && want.group !== '' && !sameId(want.group, cur?.group, cur?.gid)) {
    changes.push(`group ${cur?.group ?? '-'} → ${want.group}`);
    before.push(`group: ${cur?.group ?? ''}`);
    after.push(`group: ${want.group}`);
    commands.push(noDeref ? sh`chgrp -h ${want.group} -- ${path}` : sh`chgrp ${want.group} -- ${path}`);
  }
  if (want.mode !== undefined && want.mode !== 'preserve' && !noDeref) {
    const mode = resolveMode(want.mode, cur?.mode, isDir, opts.umask);
    out.mode = mode;
    if (cur?.mode !== mode) {
      changes.push(`mode ${cur ? formatMode(cur.mode) : '-'} → ${formatMode(mode)}`);
      before.push(`mode: ${cur ? formatMode(cur.mode) : ''}`);
      after.push(`mode: ${formatMode(mode)}`);
      commands.push(sh`chmod ${formatMode(mode)} -- ${path}`);
    }
  }
  if (changes.length > 0 && cur) {
    out.diff = {
      path,
      beforeHeader: `${path} (file attributes)`,
      afterHeader: `${path} (file attributes)`,
      before: before.join('\n') + '\n',
      after: after.join('\n') + '\n',
    };
  }
  return out;
}

/** The attrs argument for WriteContext.writeFile: keep the current mode unless told otherwise. */
export function writeAttrs(
  want: WantedAttrs,
  cur: PathInfo | null,
  resolvedMode: number | undefined,
  validate?: string,
): { mode?: string; owner?: string; group?: string; validate?: string } {
  const attrs: { mode?: string; owner?: string; group?: string; validate?: string } = {};
  const mode = resolvedMode ?? (cur && cur.type !== 'link' ? cur.mode : undefined);
  if (mode !== undefined) attrs.mode = formatMode(mode);
  if (want.owner) attrs.owner = want.owner;
  else if (cur?.owner) attrs.owner = cur.owner;
  if (want.group) attrs.group = want.group;
  else if (cur?.group) attrs.group = cur.group;
  if (validate) attrs.validate = validate;
  return attrs;
}

/** Ansible's argument names for the shared attributes, to spread into a module's args. */
export const fileAttrArgs = {
  owner: { type: 'str' },
  group: { type: 'str' },
  mode: { type: 'mode' },
  seuser: { type: 'str' },
  serole: { type: 'str' },
  setype: { type: 'str' },
  selevel: { type: 'str' },
  unsafe_writes: { type: 'bool', default: false },
  attributes: { type: 'str', aliases: ['attr'] },
} as const;
