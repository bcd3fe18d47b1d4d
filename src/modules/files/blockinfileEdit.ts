/**
 * blockinfile's edit as a pure function over latin1 "byte strings", following Ansible's
 * module: markers are whole lines, a missing pair means insert, a found pair is replaced.
 */
import { compilePyRegex } from '../_lib/pyregex.js';
import { toBytesStr } from './lineinfileEdit.js';

export interface BlockParams {
  present: boolean;
  block: string;
  marker: string;
  marker_begin: string;
  marker_end: string;
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
  append_newline: boolean;
  prepend_newline: boolean;
}

/** Python's bytes.splitlines(keepends=True): "\n", "\r\n" and "\r" end a line. */
export function splitLinesKeep(s: string): string[] {
  return s.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const hasMultilineFlag = (p: string): boolean => /^\(\?[aiLmsux]*m[aiLmsux]*\)/.test(p);

/** Returns the new content (latin1 string); `original` null when the file does not exist. */
export function editBlock(original: string | null, p: BlockParams): string {
  const lines = original === null ? [] : splitLinesKeep(original);
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insPattern = insertafter !== undefined && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
  const insertRe = insPattern !== undefined ? compilePyRegex(toBytesStr(insPattern), { bytes: true }) : undefined;

  const marker = toBytesStr(p.marker);
  const marker0 = marker.replaceAll('{mark}', toBytesStr(p.marker_begin)) + '\n';
  const marker1 = marker.replaceAll('{mark}', toBytesStr(p.marker_end)) + '\n';
  let block = toBytesStr(p.block);
  let blockLines: string[] = [];
  if (p.present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [marker0, ...splitLinesKeep(block), marker1];
  }

  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });

  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertRe) {
      if (hasMultilineFlag(insPattern!) && original !== null) {
        const m = insertRe.exec(original);
        if (m) {
          const upto = insertafter !== undefined ? m.index + m[0].length : m.index;
          n0 = (original.slice(0, upto).match(/\n/g) ?? []).length;
        }
      } else {
        lines.forEach((line, i) => {
          if (insertRe.test(line)) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }

  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  if (p.prepend_newline && p.present && n0 !== 0 && lines[n0 - 1] !== '\n') {
    lines.splice(n0, 0, '\n');
    n0 += 1;
  }
  lines.splice(n0, 0, ...blockLines);
  if (p.append_newline && p.present) {
    const after = n0 + blockLines.length;
    if (after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n');
  }
  return lines.join('');
}
