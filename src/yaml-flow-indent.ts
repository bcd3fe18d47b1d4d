/**
 * PyYAML (libyaml) ignores indentation inside a flow collection, so Ansible loads
 *
 *     vars:
 *       a: [1,
 *     2]
 *
 * while YAML 1.2 (the yaml library) requires the continuation line to be indented deeper than
 * the block around it. Such a document is read again with those continuation lines indented:
 * inside flow context leading whitespace folds away (flow scalars included), so the values are
 * the ones libyaml builds. Offsets in the re-indented text map back to the user's file.
 */

/** The text with flow continuation lines indented, and the spaces put in front of each line. */
export type Reindented = { text: string; inserted: number[] };

/** A yaml library error that this re-indentation can cure. */
export function isFlowIndentError(e: { code: string; message: string }): boolean {
  return e.code === 'BAD_INDENT' && /^Flow (?:sequence|map)\b/.test(e.message);
}

const BLOCK_SCALAR_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/**
 * Whether a quote or bracket at `at` starts a node (`'x` does, `it's` does not): only
 * whitespace, `- `, `? `, `key: `, a tag or an anchor, or (in flow) `[ { ,` may precede it.
 */
function atNodeStart(line: string, at: number, inFlow: boolean): boolean {
  let before = line.slice(0, at).trimEnd();
  // `&anchor [` and `!!str '…'`: the property belongs to the node
  while (/(?:^|\s)[&!]\S*$/.test(before)) before = before.replace(/[&!]\S*$/, '').trimEnd();
  if (before === '') return true;
  const last = before[before.length - 1]!;
  if (inFlow && (last === '[' || last === '{' || last === ',' || last === ':')) return true;
  if (last === ':') return at > before.length; // `key: [` (block context needs the space)
  if (last === '-' || last === '?') return before.length === 1 || /\s/.test(before[before.length - 2]!);
  return false;
}

/**
 * Indents every line that starts inside a flow collection deeper than the column of the
 * bracket that opened the outermost one. Tracks quotes ('' and \ escapes), comments and block
 * scalars (whose lines are text, not structure). Undefined when no line needed it.
 */
export function reindentFlowContinuations(text: string): Reindented | undefined {
  const lines = text.split('\n');
  const inserted = lines.map(() => 0);
  let depth = 0;
  let quote = '';
  let minIndent = 0; // continuation lines of the current outermost flow collection start here
  let blockScalarAbove = -1; // indentation of the line that opened a block scalar, while in one
  lines.forEach((line, li) => {
    const indent = /^ */.exec(line)![0].length;
    const blank = line.trim() === '';
    if (blockScalarAbove >= 0) {
      if (blank || indent > blockScalarAbove) return;
      blockScalarAbove = -1;
    }
    if (depth > 0 && !blank && indent < minIndent) inserted[li] = minIndent - indent;
    for (let i = indent; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = '';
      } else if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = '';
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
        break;
      } else if ((c === '"' || c === "'") && atNodeStart(line, i, depth > 0)) {
        quote = c;
      } else if ((c === '[' || c === '{') && (depth > 0 || atNodeStart(line, i, false))) {
        if (depth === 0) minIndent = i + 1;
        depth++;
      } else if ((c === ']' || c === '}') && depth > 0) {
        depth--;
      } else if (depth === 0 && (c === '|' || c === '>') && atNodeStart(line, i, false) && BLOCK_SCALAR_HEADER.test(line.slice(i))) {
        blockScalarAbove = indent;
        break;
      }
    }
  });
  if (inserted.every((n) => n === 0)) return undefined;
  return { text: lines.map((l, i) => ' '.repeat(inserted[i]!) + l).join('\n'), inserted };
}

/** Maps an offset in the re-indented text back to the original text. */
export function originalOffset(r: Reindented): (offset: number) => number {
  const reStarts: number[] = [];
  const origStarts: number[] = [];
  let re = 0;
  let orig = 0;
  for (const line of r.text.split('\n')) {
    const n = r.inserted[reStarts.length]!;
    reStarts.push(re);
    origStarts.push(orig);
    re += line.length + 1;
    orig += line.length - n + 1;
  }
  return (offset) => {
    let lo = 0;
    let hi = reStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (reStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return origStarts[lo]! + Math.max(0, offset - reStarts[lo]! - r.inserted[lo]!);
  };
}
