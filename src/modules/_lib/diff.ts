/** Content diffs as data, with a marker instead of text for binary or large files. */
import type { FileDiff } from '../types.js';

export const MAX_DIFF_BYTES = 100 * 1024;

function describe(buf: Buffer | null): string | undefined {
  if (!buf) return undefined;
  if (buf.length > MAX_DIFF_BYTES) return `file too large to diff (${buf.length} bytes)`;
  if (buf.includes(0)) return 'binary file';
  return undefined;
}

/** A content diff between two versions of `path` (null means absent). */
export function contentDiff(path: string, before: Buffer | string | null, after: Buffer | string | null): FileDiff {
  const b = typeof before === 'string' ? Buffer.from(before) : before;
  const a = typeof after === 'string' ? Buffer.from(after) : after;
  const marker = describe(b) ?? describe(a);
  if (marker) return { path, marker };
  return {
    path,
    file: { existedBefore: b !== null, existsAfter: a !== null },
    beforeHeader: b ? `${path} (content)` : `${path} (absent)`,
    afterHeader: a ? `${path} (content)` : `${path} (absent)`,
    before: b ? b.toString('utf8') : '',
    after: a ? a.toString('utf8') : '',
  };
}

/** A diff describing a path's state (file, directory, link, absent), as the file module reports. */
export function stateDiff(path: string, before: string, after: string): FileDiff {
  return { path, beforeHeader: `${path} (state)`, afterHeader: `${path} (state)`, before: `state: ${before}\n`, after: `state: ${after}\n` };
}
