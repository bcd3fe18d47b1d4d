/**
 * Jinja's syntax details nunjucks reads differently, on kelpie's tokenizer, parser and
 * compiler (patch.ts calls installSyntax last): the `+` whitespace modifiers (`{%+`, `+%}`),
 * a raw block keeping the newline after `{% raw %}`, adjacent string literals
 * (`'it' 's'`), exponents (`1.0e-5`), one-item tuples (`(x,)`), number keys in dict
 * literals, and Jinja's words for the syntax errors its lexer and parser report.
 */
import nunjucks from 'nunjucks';
import type { CompilerProto, Node, NodeClass, NunjucksInternals, Token, TokenizerState } from './nunjucksTypes.js';

/** Marks a float literal's token (a symbol) so that it compiles to a Python float (patch.ts). */
export const FLOAT_MARK = '\u0000float:';

interface Tokenizer extends TokenizerState {
  lstripBlocks: boolean;
  tags: { BLOCK_START: string; VARIABLE_START: string };
  back(): void;
  _parseString(delimiter: string): string;
  kelpieStack?: string[];
  kelpieRawNewline?: string;
}

interface Parser {
  tokens: Tokenizer;
  peekToken(): Token | null;
  nextToken(): Token | null;
  pushToken(tok: Token | null): void;
  skip(type: string): boolean;
  parseExpression(): Node;
  parsePrimary(noPostfix?: boolean): Node;
  fail(msg: string, lineno?: number, colno?: number): never;
}

/** How Jinja names a token in its messages. */
function describe(tok: Token | null): string {
  if (tok === null) return 'end of template';
  if (tok.type === 'block-end') return 'end of statement block';
  if (tok.type === 'variable-end') return 'end of print statement';
  return tok.value;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

const NunjucksError = (nunjucks as unknown as { lib: { TemplateError: new (msg: string, lineno: number, colno: number) => Error } }).lib.TemplateError;

/** A lexer error at a 0-based position, located as nunjucks' parser locates its own. */
function lexError(msg: string, at: { lineno: number; colno: number }): Error {
  return new NunjucksError(msg, at.lineno + 1, at.colno + 1);
}

function pyRepr(ch: string): string {
  return ch === "'" ? `"'"` : `'${ch}'`;
}

export function installSyntax(nj: NunjucksInternals): void {
  const { nodes, lexer } = nj;
  const tokProto = Object.getPrototypeOf(lexer.lex('', {})) as { nextToken(this: Tokenizer): Token | null };
  const orig = tokProto.nextToken;
  tokProto.nextToken = function (this: Tokenizer): Token | null {
    const start = this.index;
    if (this.in_code) {
      const cur = this.current();
      // Jinja's lexer fails on a string that never closes (nunjucks reads to the end)
      if (cur === "'" || cur === '"') {
        let i = this.index + 1;
        while (i < this.str.length && this.str[i] !== cur) i += this.str[i] === '\\' ? 2 : 1;
        if (i >= this.str.length) throw lexError(`unexpected char ${pyRepr(cur)} at ${this.index}`, this);
      }
      // inside brackets Jinja reads `}}` and `%}` as operators: a bracket left open is named
      const open = this.kelpieStack ?? [];
      const top = open[open.length - 1];
      if (top && top !== '}' && /^-?[%}]\}/.test(this.str.slice(this.index, this.index + 3))) throw lexError(`unexpected '}', expected '${top}'`, this);
      // `+%}`: no trim_blocks for this tag
      if (this.str.startsWith('+%}', this.index)) {
        this.forward();
        const trim = this.trimBlocks;
        this.trimBlocks = false;
        try {
          return orig.call(this);
        } finally {
          this.trimBlocks = trim;
        }
      }
    }
    const tok = orig.call(this);
    if (!tok) return tok;
    switch (tok.type) {
      case 'block-start':
        this.kelpieStack = [];
        // `{%+`: no lstrip_blocks for this tag (the whitespace before it is kept)
        if (this.current() === '+') this.forward();
        break;
      case 'variable-start':
        this.kelpieStack = [];
        break;
      case 'data': {
        if (this.lstripBlocks && this.str.startsWith(this.tags.BLOCK_START + '+', this.index) && tok.value.length < this.index - start) tok.value = this.str.slice(start, this.index);
        break;
      }
      case 'block-end':
        // what trim_blocks took after the tag, for a raw block that keeps it
        this.kelpieRawNewline = this.str.slice(start + tok.value.length, this.index);
        break;
      case 'left-paren':
      case 'left-bracket':
      case 'left-curly':
        (this.kelpieStack ??= []).push(CLOSERS[tok.value]!);
        break;
      case 'right-paren':
      case 'right-bracket':
      case 'right-curly': {
        const expected = this.kelpieStack?.pop();
        if (expected === undefined) throw lexError(`unexpected '${tok.value}'`, tok);
        if (expected !== tok.value) throw lexError(`unexpected '${tok.value}', expected '${expected}'`, tok);
        break;
      }
      case 'string': {
        // adjacent literals are one string, as in Python
        for (;;) {
          const at = { index: this.index, lineno: this.lineno, colno: this.colno };
          while (/\s/.test(this.current()) && !this.isFinished()) this.forward();
          const q = this.current();
          if (q === "'" || q === '"') {
            tok.value += this._parseString(q);
            continue;
          }
          Object.assign(this, at);
          break;
        }
        break;
      }
      default: {
        // 1.0e-5, 1e-5: the exponent's sign splits nunjucks' number
        const num = tok.value.startsWith(FLOAT_MARK) ? tok.value.slice(FLOAT_MARK.length) : tok.value;
        const exp = /^[eE]?[+-]?\d+/.exec(this.str.slice(this.index));
        const isMantissa = tok.type === 'float' || tok.value.startsWith(FLOAT_MARK) || (tok.type === 'symbol' && /^\d+[eE]$/.test(num));
        if (isMantissa && exp && (/[eE]$/.test(num) ? /^[+-]\d/.test(exp[0]) : /^[eE]/.test(exp[0]))) {
          for (let k = 0; k < exp[0].length; k++) this.forward();
          return { ...tok, type: 'symbol', value: FLOAT_MARK + num + exp[0] };
        }
      }
    }
    return tok;
  };

  const parser = nj.parser.Parser.prototype as unknown as Record<string, unknown>;
  const Group = (nodes as unknown as Record<string, NodeClass>)['Group']!;
  // `(x,)` is a one-item tuple; `()` the empty one
  const origAggregate = parser['parseAggregate'] as (this: Parser) => Node | null;
  parser['parseAggregate'] = function (this: Parser): Node | null {
    const open = this.peekToken();
    if (open?.type !== 'left-paren') {
      try {
        return origAggregate.call(this);
      } catch (e) {
        // nunjucks' words for a missing `:` or `,` → Jinja's
        const m = /parseAggregate: expected (colon|comma)/.exec((e as Error).message);
        if (m) this.fail(`expected token '${m[1] === 'colon' ? ':' : ','}', got '${describe(this.peekToken())}'`);
        throw e;
      }
    }
    this.nextToken();
    const items: Node[] = [];
    let comma = false;
    while (!this.skip('right-paren')) {
      if (items.length && !this.skip('comma')) this.fail(`expected token ',', got '${describe(this.peekToken())}'`);
      if (items.length) comma = true;
      if (this.skip('right-paren')) break;
      items.push(this.parseExpression());
    }
    const group = new Group(open.lineno, open.colno, items);
    if (comma || items.length === 0) group['kelpieTuple'] = true;
    return group;
  };
  // Jinja's words where the parser finds no expression
  const origPrimary = parser['parsePrimary'] as (this: Parser, noPostfix?: boolean) => Node;
  parser['parsePrimary'] = function (this: Parser & { kelpieExpectExpression?: boolean }, noPostfix?: boolean): Node {
    const tok = this.peekToken();
    const first = this.kelpieExpectExpression;
    this.kelpieExpectExpression = false;
    if (first && (tok === null || tok.type === 'block-end')) this.fail(`Expected an expression, got '${describe(tok)}'`, tok?.lineno, tok?.colno);
    if (tok === null || tok.type === 'block-end' || tok.type === 'variable-end' || tok.type === 'right-paren' || tok.type === 'right-bracket' || tok.type === 'right-curly' || tok.type === 'comma')
      this.fail(`unexpected '${describe(tok)}'`, tok?.lineno, tok?.colno);
    return origPrimary.call(this, noPostfix);
  };
  // `{% if %}` with no condition: Jinja's words (the condition's first primary is missing)
  const origIf = parser['parseIf'] as (this: Parser) => Node;
  parser['parseIf'] = function (this: Parser & { kelpieExpectExpression?: boolean }): Node {
    this.kelpieExpectExpression = true;
    try {
      return origIf.call(this);
    } finally {
      this.kelpieExpectExpression = false;
    }
  };
  const origRaw = parser['parseRaw'] as (this: Parser, tag?: string) => Node;
  parser['parseRaw'] = function (this: Parser, tag?: string): Node {
    const node = origRaw.call(this, tag);
    // Jinja's raw block starts right after its tag: trim_blocks does not take that newline
    const data = (node['children'] as Node[])[0];
    if (data?.typename === 'TemplateData' && this.tokens.kelpieRawNewline) data['value'] = this.tokens.kelpieRawNewline + (data['value'] as string);
    return node;
  };

  const compiler = nj.compiler.Compiler.prototype as CompilerProto;
  const origGroup = compiler['compileGroup'] as (this: CompilerProto, node: Node, frame: unknown) => void;
  compiler['compileGroup'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const children = node['children'] as Node[];
    if (!node['kelpieTuple'] || children.length > 1) return origGroup.call(this, node, frame);
    this._emit('runtime.kelpie.tuple([');
    if (children[0]) this._compileExpression(children[0], frame);
    this._emit('])');
  };
  // a number, boolean or None as a dict key: Python's dict keeps it, kelpie's a string of it
  const origPair = compiler['compilePair'] as (this: CompilerProto, node: Node, frame: unknown) => void;
  compiler['compilePair'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const key = node['key'] as Node;
    if (key.typename === 'Literal' && typeof key['value'] !== 'string') {
      const v = key['value'];
      key['value'] = v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : String(v);
    } else if (key.typename === 'Symbol' && (key['value'] as string).startsWith(FLOAT_MARK)) key['value'] = (key['value'] as string).slice(FLOAT_MARK.length);
    origPair.call(this, node, frame);
  };
}
