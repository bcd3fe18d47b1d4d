/**
 * A YAML emitter that writes what libyaml's emitter writes (Ansible's to_yaml and to_nice_yaml
 * dump through PyYAML's CSafeDumper, so libyaml 0.2.5 decides the text): the same scalar
 * analysis and style choice (plain, single-quoted, double-quoted), the same folding of long
 * scalars at a space once the column passes the width, the same indentation rules for block
 * and flow collections. Nodes come from the representer in yaml.ts.
 */
import { analyze, escape, isBreak, isPrintable } from './yaml-scalar.js';

export type YamlNode =
  /** `plainImplicit`: the plain text resolves back to the node's own type (YAML 1.1 rules). */
  | { kind: 'scalar'; value: string; plainImplicit: boolean }
  | { kind: 'seq'; items: YamlNode[]; flow: boolean }
  | { kind: 'map'; pairs: [YamlNode, YamlNode][]; flow: boolean };

export interface EmitterOptions {
  indent: number;
  /** Folding column; a negative width never folds. */
  width: number;
  explicitStart: boolean;
  explicitEnd: boolean;
}

interface Context {
  mapping: boolean;
  simpleKey: boolean;
}

/** One dump: the output text and the writer state libyaml keeps (column, indent stack, flags). */
class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  /** the last thing written was whitespace (an indicator needing none, an indent) */
  private whitespace = true;
  /** nothing but indentation has been written on this line */
  private indention = true;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  /** collections written once already: met again, they are written as an alias */
  private readonly written = new Set<YamlNode>();

  constructor(
    private readonly opts: EmitterOptions,
    private readonly anchors: Map<YamlNode, string>,
  ) {
    this.bestIndent = opts.indent < 2 || opts.indent > 9 ? 2 : opts.indent;
    const width = opts.width >= 0 && opts.width <= this.bestIndent * 2 ? 80 : opts.width;
    this.bestWidth = width < 0 ? Infinity : width;
  }

  document(root: YamlNode): string {
    if (this.opts.explicitStart) {
      this.writeIndent();
      this.writeIndicator('---', true, false, false);
    }
    this.node(root, { mapping: false, simpleKey: false });
    this.writeIndent();
    if (this.opts.explicitEnd) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    return this.out;
  }

  private node(n: YamlNode, ctx: Context): void {
    const anchor = this.anchors.get(n);
    if (anchor !== undefined) {
      const alias = this.written.has(n);
      this.writeIndicator(alias ? '*' : '&', true, false, false);
      this.put(anchor);
      this.whitespace = this.indention = false;
      if (alias) return;
      this.written.add(n);
    }
    if (n.kind === 'scalar') this.scalar(n, ctx);
    else if (n.kind === 'seq') {
      if (this.flowLevel > 0 || n.flow || n.items.length === 0) this.flowSequence(n.items);
      else this.blockSequence(n.items, ctx);
    } else if (this.flowLevel > 0 || n.flow || n.pairs.length === 0) this.flowMapping(n.pairs);
    else this.blockMapping(n.pairs);
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  private blockSequence(items: YamlNode[], ctx: Context): void {
    // a sequence that is a mapping's value starts at the key's column ("indentless")
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private blockMapping(pairs: [YamlNode, YamlNode][]): void {
    this.increaseIndent(false, false);
    for (const [key, value] of pairs) {
      this.writeIndent();
      if (isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private flowSequence(items: YamlNode[]): void {
    this.writeIndicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { mapping: false, simpleKey: false });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false, false, false);
  }

  private flowMapping(pairs: [YamlNode, YamlNode][]): void {
    this.writeIndicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    pairs.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, false);
        this.node(key, { mapping: true, simpleKey: false });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true, false, false);
      }
      this.node(value, { mapping: true, simpleKey: false });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false, false, false);
  }

  private scalar(n: YamlNode & { kind: 'scalar' }, ctx: Context): void {
    const a = analyze(n.value);
    let style: 'plain' | 'single' | 'double' = 'plain';
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (this.flowLevel > 0 ? !a.flowPlain : !a.blockPlain) style = 'single';
      if (a.chars.length === 0 && (this.flowLevel > 0 || ctx.simpleKey)) style = 'single';
      if (!n.plainImplicit) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    if (style === 'plain') this.writePlain(a.chars, allowBreaks);
    else if (style === 'single') this.writeSingleQuoted(a.chars, allowBreaks);
    else this.writeDoubleQuoted(a.chars, allowBreaks);
    this.popIndent();
  }

  private put(text: string): void {
    this.out += text;
    this.column += text.length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** A line break of the text itself: `\n` as the emitter's break, others copied as they are. */
  private writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** A space past the width becomes a line break, unless a space follows it (folding would lose that). */
  private foldsAt(chars: string[], i: number, allowBreaks: boolean, spaces: boolean): boolean {
    return allowBreaks && !spaces && this.column > this.bestWidth && chars[i + 1] !== ' ';
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace && (chars.length > 0 || this.flowLevel > 0)) this.put(' ');
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (this.foldsAt(chars, i, allowBreaks, spaces)) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const last = chars.length - 1;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === ' ') {
        if (i !== 0 && i !== last && this.foldsAt(chars, i, allowBreaks, spaces)) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        // a single line break is written as an empty line (a lone break would fold to a space)
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = breaks = false;
      }
    }
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const last = chars.length - 1;
    chars.forEach((c, i) => {
      if (!isPrintable(c) || isBreak(c) || c === '"' || c === '\\') {
        this.put(escape(c));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== last) {
          this.writeIndent();
          // a folded line's leading space would be lost: escape it
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }
}

/** libyaml's check_simple_key: a one-line scalar of at most 128 bytes, or an empty collection. */
function isSimpleKey(n: YamlNode): boolean {
  if (n.kind === 'seq') return n.items.length === 0;
  if (n.kind === 'map') return n.pairs.length === 0;
  return !analyze(n.value).multiline && Buffer.byteLength(n.value, 'utf8') <= 128;
}

/** The text of one document; `anchors` names the collections written more than once. */
export function emitYaml(root: YamlNode, anchors: Map<YamlNode, string>, opts: EmitterOptions): string {
  return new Emitter(opts, anchors).document(root);
}
