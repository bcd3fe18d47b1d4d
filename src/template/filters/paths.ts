/** Path filters with Python os.path semantics (basename('/a/b/') is '', not 'b'). */
import { homedir } from 'node:os';
import { relative, resolve } from 'node:path';
import { tuple } from '../pyvalue.js';
import { pyStr } from '../pyvalue.js';
import { asList, type FilterFn } from './args.js';

export function pyBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  const head = p.slice(0, i);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}
function splitext(p: string): [string, string] {
  const base = pyBasename(p);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - (base.length - dot);
  return [p.slice(0, cut), p.slice(cut)];
}
function pathJoin(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += '/' + part;
  }
  return out;
}

/** ntpath.splitdrive: `C:` or a UNC `\\host\share` prefix, and the rest. */
function winDrive(p: string): [string, string] {
  if (/^[A-Za-z]:/.test(p)) return [p.slice(0, 2), p.slice(2)];
  const unc = /^[\\/]{2}[^\\/]+[\\/][^\\/]+/.exec(p);
  return unc ? [unc[0], p.slice(unc[0].length)] : ['', p];
}
/** ntpath.split: (head without trailing separators unless it is the root, tail). */
function winSplit(p: string): [string, string] {
  const [drive, rest] = winDrive(p);
  const cut = Math.max(rest.lastIndexOf('\\'), rest.lastIndexOf('/')) + 1;
  const head = rest.slice(0, cut);
  const trimmed = head.replace(/[\\/]+$/, '');
  return [drive + (trimmed || head), rest.slice(cut)];
}

export const pathFilters: Record<string, FilterFn> = {
  basename: (v) => pyBasename(pyStr(v)),
  dirname: (v) => pyDirname(pyStr(v)),
  expanduser: (v) => pyStr(v).replace(/^~(?=\/|$)/, homedir()),
  splitext: (v) => tuple(splitext(pyStr(v))),
  path_join: (v) => pathJoin(typeof v === 'string' ? [v] : asList(v, 'path_join').map((x) => pyStr(x))),
  win_basename: (v) => pyStr(v).split(/[\\/]/).pop() ?? '',
  win_dirname: (v) => winSplit(pyStr(v))[0],
  win_splitdrive: (v) => tuple(winDrive(pyStr(v))),
  realpath: (v) => resolve(pyStr(v)),
  relpath: (v, start) => relative(start === undefined ? process.cwd() : pyStr(start), pyStr(v)) || '.',
};
