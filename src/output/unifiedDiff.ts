/**
 * Unified diffs, rendered only here in the output layer, by the `diff` package.
 *
 * A diff of a file's content gets patch-ready headers: the path relative to `/` (`/dev/null`
 * for an absent side), so the `--diff` output of a run applies with `patch -p0` run in `/`
 * of the host (GNU patch refuses absolute names). Diffs that describe something other than
 * a file's content (a path's state, packages, addresses) carry no `---`/`+++`/`@@` lines,
 * so that patch passes over them instead of asking which file they belong to.
 */
import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import type { FileDiff } from '../modules/types.js';

/** `@@` hunks with 3 lines of context, `\ No newline at end of file` where patch expects it. */
function hunks(before: string, after: string): string {
  return formatPatch(structuredPatch('', '', before, after, undefined, undefined, { context: 3 }), OMIT_HEADERS);
}

/** The name patch -p0 finds from `/`: `etc/motd` for `/etc/motd`. */
function patchName(path: string): string {
  return path.replace(/^\/+/, '');
}

/** A file content diff with `--- etc/motd` / `+++ etc/motd` headers. */
export function unifiedDiff(before: string | null, after: string | null, path: string): string {
  const from = before === null ? '/dev/null' : patchName(path);
  const to = after === null ? '/dev/null' : patchName(path);
  const body = hunks(before ?? '', after ?? '');
  // an empty file has no lines to put in a hunk: say what happens instead of a header patch chokes on
  if (!body) return `${path}: ${before === null ? 'created empty' : after === null ? 'removed (was empty)' : 'emptied'}\n`;
  return `--- ${from}\n+++ ${to}\n${body}`;
}

/** A described change: a title, then the changed lines with their context, no patch headers. */
function describedDiff(d: FileDiff): string {
  const title = d.beforeHeader && d.afterHeader && d.beforeHeader !== d.afterHeader ? `${d.beforeHeader} -> ${d.afterHeader}` : (d.beforeHeader ?? d.path ?? 'change');
  const body = hunks(d.before ?? '', d.after ?? '')
    .split('\n')
    .map((l) => (l.startsWith('@@') ? '…' : l))
    .filter((l, i) => !(i === 0 && l === '…'))
    .join('\n');
  return `${title}:\n${body}`;
}

export function renderFileDiff(d: FileDiff): string {
  if (d.marker) return `${d.path ?? ''}: ${d.marker}\n`;
  if (d.file && d.path) {
    const before = d.file.existedBefore ? (d.before ?? '') : null;
    const after = d.file.existsAfter ? (d.after ?? '') : null;
    return before === after ? '' : unifiedDiff(before, after, d.path);
  }
  return (d.before ?? '') === (d.after ?? '') ? '' : describedDiff(d);
}
