/**
 * libyaml's view of YAML text for pyyaml-error.ts: its marks (`in "<unicode string>", line L,
 * column C`) and its scan of a flow collection (`[…]`, `{…}`), which ignores indentation and
 * stops at the first token its parser refuses.
 */
import { Parser } from 'yaml';

export const SCANNER = 'yaml.scanner.ScannerError';
export const PARSER = 'yaml.parser.ParserError';

/** libyaml's `in "<unicode string>", line L, column C` for a text offset (columns count characters). */
export function mark(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
  return `  in "<unicode string>", line ${line}, column ${column}`;
}

/** Where libyaml puts the end of the stream: after the text, on a line of its own. */
export function streamEnd(text: string): string {
  const lines = text.split('\n').length;
  return `  in "<unicode string>", line ${text === '' || text.endsWith('\n') ? lines : lines + 1}, column 1`;
}

const BLANK = /[ \t\r\n]/;
const FLOW_INDICATOR = /[,[\]{}]/;
const isBlankAt = (text: string, i: number): boolean => i >= text.length || BLANK.test(text[i]!);

/** Why libyaml stops inside a flow collection: the innermost open bracket and where it stopped (-1: the stream's end). */
type FlowStop = { kind: 'unclosed'; open: number; at: number } | { kind: 'quote'; open: number };
/** How a flow collection scan ends: where libyaml stops, where the collection closes, or undefined (not modelled). */
export type FlowScan = FlowStop | { kind: 'closed'; end: number } | undefined;

/** The end of a quoted scalar starting at i (the index after its closing quote), or -1 if it never closes. */
function quotedEnd(text: string, i: number): number {
  const q = text[i]!;
  for (let j = i + 1; j < text.length; j++) {
    if (q === '"' && text[j] === '\\') j++;
    else if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return -1;
}

/** The end of a plain scalar in flow context starting at i: it runs across lines up to an indicator. */
function plainEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text[j]!;
    if (FLOW_INDICATOR.test(c)) break;
    if (c === ':' && (isBlankAt(text, j + 1) || FLOW_INDICATOR.test(text[j + 1]!))) break;
    if (c === '#' && j > i && BLANK.test(text[j - 1]!)) break;
    j++;
  }
  while (j > i && BLANK.test(text[j - 1]!)) j--;
  return j;
}

/**
 * Scans the flow collection opening at `start` as libyaml does, to the first token its parser
 * refuses or to its closing bracket.
 */
export function scanFlow(text: string, start: number): FlowScan {
  const open: number[] = [];
  let i = start;
  // entry: a node may start; sep: a node ended (`,`, `:` or the closer must follow); value: after `:`
  let state: 'entry' | 'sep' | 'value' = 'entry';
  let hadValue = false;
  // a node can be a key (`:` may follow) only if it stands on one line
  let oneLine = true;
  const unexpected = (at: number): FlowStop => ({ kind: 'unclosed', open: open[open.length - 1]!, at });
  for (;;) {
    while (i < text.length && BLANK.test(text[i]!)) i++;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (i >= text.length) return unexpected(-1);
    const c = text[i]!;
    if (c === '[' || c === '{') {
      if (state === 'sep') return unexpected(i);
      open.push(i);
      state = 'entry';
      hadValue = false;
      i++;
    } else if (c === ']' || c === '}') {
      if (text[open[open.length - 1]!] !== (c === ']' ? '[' : '{')) return state === 'entry' ? undefined : unexpected(i);
      open.pop();
      if (!open.length) return { kind: 'closed', end: i + 1 };
      state = 'sep';
      oneLine = true;
      i++;
    } else if (c === ',') {
      if (state === 'entry') return undefined;
      state = 'entry';
      hadValue = false;
      i++;
    } else if (c === ':' && (isBlankAt(text, i + 1) || FLOW_INDICATOR.test(text[i + 1]!))) {
      if (hadValue || (state === 'sep' && !oneLine)) return unexpected(i);
      state = 'value';
      hadValue = true;
      i++;
    } else if (c === '"' || c === "'") {
      if (state === 'sep') return unexpected(i);
      const end = quotedEnd(text, i);
      if (end < 0) return { kind: 'quote', open: i };
      oneLine = !text.slice(i, end).includes('\n');
      i = end;
      state = 'sep';
    } else if (c === '-' && isBlankAt(text, i + 1)) {
      return state === 'sep' ? unexpected(i) : undefined;
    } else if (/[?|>%@`]/.test(c)) {
      return undefined;
    } else if (c === '&' || c === '!') {
      // an anchor or a tag: a node follows
      while (i < text.length && !BLANK.test(text[i]!) && !FLOW_INDICATOR.test(text[i]!)) i++;
    } else {
      if (state === 'sep') return unexpected(i);
      const end = c === '*' ? i + 1 + text.slice(i + 1).search(/[ \t\r\n,[\]{}]|$/) : plainEnd(text, i);
      oneLine = !text.slice(i, end).includes('\n');
      i = end;
      state = 'sep';
    }
  }
}

/** The opening offsets of the outermost flow collections, in document order (from the yaml library's CST). */
export function flowStarts(text: string): number[] {
  const starts: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const tok = v as { type?: string; start?: { offset: number } };
      if (tok.type === 'flow-collection' && tok.start) starts.push(tok.start.offset);
      else Object.values(v).forEach(walk);
    }
  };
  for (const tok of new Parser().parse(text)) walk(tok);
  return starts.sort((a, b) => a - b);
}

export function quoteError(text: string, open: number): string {
  return `${SCANNER}: while scanning a quoted scalar\n${mark(text, open)}\nfound unexpected end of stream\n${mark(text, text.length)}`;
}

export function flowError(text: string, stop: FlowStop): string {
  if (stop.kind === 'quote') return quoteError(text, stop.open);
  const seq = text[stop.open] === '[';
  return `${PARSER}: while parsing a flow ${seq ? 'sequence' : 'mapping'}\n${mark(text, stop.open)}\ndid not find expected ',' or '${seq ? ']' : '}'}'\n${stop.at < 0 ? streamEnd(text) : mark(text, stop.at)}`;
}
