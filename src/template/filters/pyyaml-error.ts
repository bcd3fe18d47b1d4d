/**
 * PyYAML's message for YAML text the yaml library refused, for the common mistakes. Ansible's
 * from_yaml is PyYAML's CSafeLoader (libyaml), so a playbook author reads e.g.
 *
 *     yaml.parser.ParserError: while parsing a flow sequence
 *       in "<unicode string>", line 1, column 4
 *     did not find expected ',' or ']'
 *       in "<unicode string>", line 2, column 1
 *
 * The yaml library says what kind of mistake it is; where libyaml stops, and what it names as
 * the context, is worked out here from the text with libyaml's rules (an unclosed flow
 * collection is scanned as libyaml scans flow context, which ignores indentation). A mistake
 * not handled here gets no PyYAML message (undefined): the caller keeps its own wording.
 */
import { isCollection, parseAllDocuments, visit, type Document, type YAMLError } from 'yaml';
import { openingQuote } from '../../yaml11.js';
import { PARSER, SCANNER, flowError, flowStarts, mark, quoteError, scanFlow, streamEnd } from './pyyaml-flow.js';

/** The first line's offset of `offset`'s line, and that line. */
function lineAt(text: string, offset: number): { start: number; line: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return { start, line: text.slice(start, end < 0 ? text.length : end) };
}

/**
 * A tab where indentation goes. After `key:` (nothing on the line yet to continue) no token can
 * start with it; after a plain value libyaml is scanning that value's next line.
 */
function tabError(text: string, at: number): string | undefined {
  const { start } = lineAt(text, at);
  const prev = start > 0 ? lineAt(text, start - 1) : undefined;
  const tokenError = `${SCANNER}: while scanning for the next token\nfound character that cannot start any token\n${mark(text, at)}`;
  if (!prev || /:\s*$/.test(prev.line)) return tokenError;
  const value = /^\s*(?:- +)*(?:[\w.-]+: +)?(?=[^\s'"[{&*!|>#@`%-])/.exec(prev.line);
  if (!value) return undefined;
  return `${SCANNER}: while scanning a plain scalar\n${mark(text, prev.start + value[0].length)}\nfound a tab character that violates indentation\n${mark(text, at)}`;
}

type LineKind = 'key' | 'entry' | 'other';
const kindOf = (line: string): LineKind => (/^ *-(?: |$)/.test(line) ? 'entry' : /^ *[\w.-]+:(?: |$)/.test(line) ? 'key' : 'other');

/**
 * A line that does not fit the block collection it falls into: a `- ` among keys, a key among
 * `- ` entries, or a key indented deeper than its mapping's keys but not under a `key:` of its
 * own. libyaml names the collection the line falls into (where its first item is) and stops at
 * the line's first character. undefined when the lines above are not that simple a shape.
 */
function blockError(text: string, pos: number): string | undefined {
  const lineStart = lineAt(text, pos).start;
  const own = lineAt(text, pos).line;
  const indent = own.length - own.trimStart().length;
  const at = lineStart + indent;
  if (pos > at) return strayToken(text, pos);
  let depth0: number | undefined; // the indent of the collection the line falls into
  let kind0: LineKind | undefined;
  let first: number | undefined; // where that collection's first item is
  // the lines above, nearest first
  for (let end = lineStart - 1; end >= 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    if (line.trim() === '') continue;
    const depth = line.length - line.trimStart().length;
    const kind = kindOf(line);
    if (depth0 === undefined) {
      if (depth > indent) continue;
      if (kind === 'other' || (depth === indent && kind === kindOf(own))) return undefined;
      depth0 = depth;
      kind0 = kind;
    }
    if (depth < depth0) break;
    if (depth === depth0) {
      if (kind !== kind0) return undefined;
      first = start + depth;
    }
  }
  if (first === undefined) return undefined;
  const [what, expected] = kind0 === 'key' ? ['block mapping', 'key'] : ['block collection', "'-' indicator"];
  return `${PARSER}: while parsing a ${what}\n${mark(text, first)}\ndid not find expected ${expected}\n${mark(text, at)}`;
}

/** Something after a key's value on its line (`a: [1, 2]]`): that key's mapping finds no key there. */
function strayToken(text: string, pos: number): string | undefined {
  const { start, line } = lineAt(text, pos);
  const indent = line.length - line.trimStart().length;
  if (kindOf(line) !== 'key') return undefined;
  let first = start + indent;
  for (let end = start - 1; end >= 0; ) {
    const above = lineAt(text, end);
    end = above.start - 1;
    const depth = above.line.length - above.line.trimStart().length;
    if (above.line.trim() === '' || depth > indent) continue;
    if (depth < indent) break;
    if (kindOf(above.line) !== 'key') return undefined;
    first = above.start + depth;
  }
  return `${PARSER}: while parsing a block mapping\n${mark(text, first)}\ndid not find expected key\n${mark(text, pos)}`;
}

/**
 * A bare word where a key of the mapping above goes (`a: 1` then `b`): libyaml gives up on that
 * simple key at the next token, or at the end of the stream.
 */
function keyWithoutValue(text: string, pos: number): string | undefined {
  const { start, line } = lineAt(text, pos);
  const indent = line.length - line.trimStart().length;
  if (kindOf(line) !== 'other' || /[:#'"[\]{}&*!|>@`%-]/.test(line.trim()[0] ?? '') || line.includes(': ')) return undefined;
  let sibling: string | undefined;
  for (let end = start - 1; end >= 0 && sibling === undefined; ) {
    const above = lineAt(text, end);
    end = above.start - 1;
    const depth = above.line.length - above.line.trimStart().length;
    if (above.line.trim() === '' || depth > indent) continue;
    if (depth < indent) return undefined;
    sibling = above.line;
  }
  if (sibling === undefined || kindOf(sibling) !== 'key') return undefined;
  const after = start + line.length;
  const next = text.slice(after).search(/\S/);
  return `${SCANNER}: while scanning a simple key\n${mark(text, start + indent)}\ncould not find expected ':'\n${next < 0 ? streamEnd(text) : mark(text, after + next)}`;
}

/**
 * What the yaml library reads but PyYAML refuses after parsing: an alias naming no anchor before
 * it (the composer), a list or mapping as a key (the constructor: a Python dict key must be
 * hashable; PyYAML names the mapping too when it starts elsewhere).
 */
function composeError(text: string, docs: Document.Parsed[]): string | undefined {
  let found: string | undefined;
  for (const doc of docs) {
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined || !node.range) return undefined;
        found = `yaml.composer.ComposerError: found undefined alias\n${mark(text, node.range[0])}`;
        return visit.BREAK;
      },
      Map(_, map) {
        const bad = map.items.find((p) => isCollection(p.key));
        if (!bad || !map.range || !isCollection(bad.key) || !bad.key.range) return undefined;
        const [where, key] = [mark(text, map.range[0]), mark(text, bad.key.range[0])];
        found = `yaml.constructor.ConstructorError: while constructing a mapping\n${where === key ? '' : `${where}\n`}found unhashable key\n${key}`;
        return visit.BREAK;
      },
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A backslash in a double-quoted scalar that is no escape (`"C:\Users"` starts a \U escape of 8 hex digits). */
function escapeError(text: string, at: number): string | undefined {
  const q = openingQuote(text, at, '"');
  if (q === undefined || text[at] !== '\\') return undefined;
  const digits = { x: 2, u: 4, U: 8 }[text[at + 1] ?? ''];
  let why = 'found unknown escape character';
  let stop = at;
  if (digits !== undefined) {
    if (/^[0-9a-fA-F]+$/.test(text.slice(at + 2, at + 2 + digits))) return undefined;
    // libyaml points at the digits, whichever of them is wrong
    why = 'did not find expected hexdecimal number';
    stop = at + 2;
  }
  return `${SCANNER}: while parsing a quoted scalar\n${mark(text, q)}\n${why}\n${mark(text, stop)}`;
}

/** The next `: ` from `at`: a mapping cannot start inside a compact value (`a: b: c`) or a multi-line plain one. */
function misplacedValue(text: string, at: number): string | undefined {
  const colon = text.slice(at).search(/:(?=[ \t\r\n]|$)/);
  return colon < 0 ? undefined : `${SCANNER}: mapping values are not allowed in this context\n${mark(text, at + colon)}`;
}

/** Where content follows a `...` document end without a `---` to start its document, if it does. */
function contentAfterDocumentEnd(text: string): number | undefined {
  const m = /^\.\.\.[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*(?=[^\s#])/m.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  return text.startsWith('---', at) || text[at] === '%' ? undefined : at;
}

/**
 * PyYAML's message for text that does not load, or undefined when the mistake is not one
 * modelled here. `single`: one document is expected (from_yaml), as PyYAML's load does.
 */
export function pyYamlLoadError(text: string, single: boolean): string | undefined {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  // load() composes the first document, then refuses to see a second one start
  const second = list[1]?.range[0];
  if (single && second !== undefined && !list[0]!.errors.length && text.startsWith('---', second)) {
    const first = list[0]!.contents?.range[0] ?? text.search(/\S/);
    return `yaml.composer.ComposerError: expected a single document in the stream\n${mark(text, first)}\nbut found another document\n${mark(text, second)}`;
  }
  const afterEnd = contentAfterDocumentEnd(text);
  if (afterEnd !== undefined && !list[0]!.errors.length) return `${PARSER}: did not find expected <document start>\n${mark(text, afterEnd)}`;
  const e: YAMLError | undefined = list.flatMap((d) => d.errors)[0];
  if (!e) return composeError(text, list);
  const at = e.pos[0];
  // a flow collection before the mistake: libyaml may stop inside it first
  for (const s of flowStarts(text).filter((s) => s <= at)) {
    const scan = scanFlow(text, s);
    // a mistake inside a collection libyaml reads whole, or one not modelled: no guess
    if (!scan || (scan.kind === 'closed' && scan.end > at)) return undefined;
    if (scan.kind !== 'closed') return flowError(text, scan);
  }
  switch (e.code) {
    case 'MISSING_CHAR': {
      if (/^Implicit map keys need to be followed/.test(e.message)) return keyWithoutValue(text, at);
      if (/^Sequence item without/.test(e.message)) return blockError(text, at);
      const q = /quote/.test(e.message) ? openingQuote(text, at, e.message) : undefined;
      return q === undefined ? undefined : quoteError(text, q);
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      return /^Nested mappings/.test(e.message) ? misplacedValue(text, at) : blockError(text, at);
    case 'MULTILINE_IMPLICIT_KEY':
      // a plain value continued onto a line with `: ` (or a line that fits no collection)
      return blockError(text, at) ?? misplacedValue(text, at);
    case 'BAD_DQ_ESCAPE':
      return escapeError(text, at);
    case 'BAD_SCALAR_START':
      return /[@`]/.test(text[at] ?? '') ? `${SCANNER}: while scanning for the next token\nfound character that cannot start any token\n${mark(text, at)}` : undefined;
    case 'TAB_AS_INDENT':
      return tabError(text, at);
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN':
      return blockError(text, at);
    default:
      return undefined;
  }
}

