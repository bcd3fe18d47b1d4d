/**
 * lineinfile's edit, as a pure function over the file's lines. Strings here are
 * latin1-decoded bytes so that regular expressions see bytes exactly as Python's
 * bytes patterns do in Ansible's module.
 */
import { compilePyRegex, expandPyTemplate, parsePyTemplate } from '../_lib/pyregex.js';

export interface LineinfileParams {
  state: 'present' | 'absent';
  line?: string | undefined;
  regexp?: string | undefined;
  search_string?: string | undefined;
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
  backrefs: boolean;
  firstmatch: boolean;
}

export interface LineEdit {
  lines: string[];
  changed: boolean;
  msg: string;
  found?: number;
}

/** UTF-8 text → the latin1 "byte string" form used by the edit. */
export const toBytesStr = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Python's bytes.readlines(): split after every "\n". */
export function readLines(content: string): string[] {
  return content === '' ? [] : content.split(/(?<=\n)/);
}

const stripEol = (s: string): string => s.replace(/[\r\n]+$/, '');
const endsWithEol = (s: string): boolean => s.endsWith('\n') || s.endsWith('\r');

export function editPresent(input: readonly string[], p: LineinfileParams): LineEdit {
  const lines = [...input];
  const line = toBytesStr(p.line ?? '');
  const re = p.regexp !== undefined ? compilePyRegex(toBytesStr(p.regexp), { bytes: true }) : undefined;
  const ins = p.insertafter !== undefined && p.insertafter !== 'BOF' && p.insertafter !== 'EOF' ? p.insertafter
    : p.insertbefore !== undefined && p.insertbefore !== 'BOF' ? p.insertbefore : undefined;
  const insRe = ins !== undefined ? compilePyRegex(toBytesStr(ins), { bytes: true }) : undefined;

  let matchIdx = -1;
  let insIdx = -1;
  let match: RegExpExecArray | null = null;
  let found = false;
  if (re) {
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i]!);
      if (m) {
        matchIdx = i;
        match = m;
        found = true;
        if (p.firstmatch) break;
      }
    }
  }
  if (p.search_string !== undefined) {
    const needle = toBytesStr(p.search_string);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(needle)) {
        matchIdx = i;
        found = true;
        if (p.firstmatch) break;
      }
    }
  }
  if (!found) {
    for (let i = 0; i < lines.length; i++) {
      if (stripEol(lines[i]!) === line) {
        matchIdx = i;
      } else if (insRe && insRe.test(lines[i]!)) {
        if (p.insertafter !== undefined) {
          insIdx = i + 1;
          if (p.firstmatch) break;
        }
        if (p.insertbefore !== undefined) {
          insIdx = i;
          if (p.firstmatch) break;
        }
      }
    }
  }

  const added = (): LineEdit => ({ lines, changed: true, msg: 'line added' });
  const same: LineEdit = { lines, changed: false, msg: '' };
  if (matchIdx !== -1) {
    let newLine = p.backrefs && match ? expandPyTemplate(parsePyTemplate(line), match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[matchIdx] !== newLine) {
      lines[matchIdx] = newLine;
      return { lines, changed: true, msg: 'line replaced' };
    }
    return same;
  }
  if (p.backrefs) return same;
  if (p.insertbefore === 'BOF' || p.insertafter === 'BOF') {
    lines.unshift(line + '\n');
    return added();
  }
  if (p.insertafter === 'EOF' || insIdx === -1) {
    if (lines.length > 0 && !endsWithEol(lines[lines.length - 1]!)) lines.push('\n');
    lines.push(line + '\n');
    return added();
  }
  if (p.insertafter !== undefined) {
    if (lines.length === insIdx) {
      if (stripEol(lines[insIdx - 1]!) === line) return same;
      lines.push(line + '\n');
      return added();
    }
    if (line === stripEol(lines[insIdx]!)) return same;
    lines.splice(insIdx, 0, line + '\n');
    return added();
  }
  lines.splice(insIdx, 0, line + '\n');
  return added();
}

export function editAbsent(input: readonly string[], p: LineinfileParams): LineEdit {
  const re = p.regexp !== undefined ? compilePyRegex(toBytesStr(p.regexp), { bytes: true }) : undefined;
  const needle = p.search_string !== undefined ? toBytesStr(p.search_string) : undefined;
  const line = toBytesStr(p.line ?? '');
  const kept: string[] = [];
  let found = 0;
  for (const l of input) {
    const hit = re ? re.test(l) : needle !== undefined ? l.includes(needle) : stripEol(l) === line;
    if (hit) found++;
    else kept.push(l);
  }
  return { lines: kept, changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
