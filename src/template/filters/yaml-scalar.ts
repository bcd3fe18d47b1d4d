/**
 * What libyaml's emitter decides about one scalar before writing it: which characters it sees
 * as breaks, blanks and printable, which styles can carry the text (yaml_emitter_analyze_scalar),
 * and the escapes of its double-quoted style.
 */

export const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
/** Blank, break or the end of the text (libyaml reads the terminating NUL there). */
const isBlankz = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

/** libyaml's IS_PRINTABLE: no tabs, no C0/C1 controls, nothing outside the BMP. */
export function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

export interface Analysis {
  chars: string[];
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
}

/** Which styles can carry the text unchanged (libyaml's yaml_emitter_analyze_scalar). */
export function analyze(value: string): Analysis {
  const chars = Array.from(value);
  if (chars.length === 0) return { chars, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true };
  let blockInd = /^(?:---|\.\.\.)/.test(value);
  let flowInd = blockInd;
  let lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
  let precededByWs = true;
  let followedByWs = isBlankz(chars[1]);
  const last = chars.length - 1;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = isBlankz(c);
    followedByWs = isBlankz(chars[i + 2]);
  }
  const noPlain = leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks;
  return {
    chars,
    multiline: lineBreaks,
    flowPlain: !noPlain && !flowInd,
    blockPlain: !noPlain && !blockInd,
    singleQuoted: !(breakSpace || spaceBreak || special),
  };
}

const ESCAPES: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };

export function escape(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const named = ESCAPES[cp];
  if (named !== undefined) return '\\' + named;
  const [letter, digits] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
  return '\\' + letter + cp.toString(16).toUpperCase().padStart(digits, '0');
}
