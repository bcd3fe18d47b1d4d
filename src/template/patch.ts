/**
 * Teaches nunjucks Python semantics, feature by feature, on kelpie's own subclasses of
 * nunjucks' Tokenizer, Parser, Compiler and Environment and on kelpie's copy of its
 * runtime (engine.ts makes them and calls installPythonSemantics once). nunjucks compiles
 * templates to JS that uses JS operators directly (`a + b`, `if (x)`, `a == b`); kelpie's
 * compiler redirects those to the helpers in operators.ts through `runtime.kelpie`, and
 * kelpie's runtime makes missing names `Undef` values. Nothing here touches the nunjucks
 * module objects: `nj` is always kelpie's view of them.
 */
import * as ops from './operators.js';
import { attributeLookup, memberLookup, sliceLookup } from './methods.js';
import { pyStr } from './pyvalue.js';
import { lookupName } from './scope.js';
import { TemplateError } from '../errors.js';
import { plain, typeName } from './pyvalue.js';
import { Undef } from './undefined.js';
import { installStatements } from './statements.js';
import { inlineIfWithoutElse } from './inlineIf.js';
import { FLOAT_MARK, installSyntax } from './syntax.js';
import { pythonStringEscapes } from './stringEscapes.js';

import type { CompileFn, CompilerProto, Node, NodeClass, NunjucksInternals, ParserState, Token, TokenizerProto, TokenizerState } from './nunjucksTypes.js';

export type { CompilerProto, Node, NodeClass, NunjucksInternals, ParserState, Token, TokenizerState } from './nunjucksTypes.js';


/** kelpie's runtime: its helpers, its lookups (missing names are `Undef`), Python's printing. */
function useOurRuntime(runtime: Record<string, unknown>): void {
  runtime['kelpie'] = ops;
  runtime['memberLookup'] = (obj: unknown, key: unknown, ...rest: unknown[]): unknown =>
    rest.length === 2 ? sliceLookup(obj, key, rest[0], rest[1]) : memberLookup(obj, key);
  runtime['attributeLookup'] = attributeLookup;
  runtime['contextOrFrameLookup'] = lookupName;
  // Ansible's finalize: a bare None prints as an empty string (inside containers it is 'None').
  runtime['suppressValue'] = (v: unknown): string => (v === null || v === undefined ? '' : pyStr(v));
  runtime['inOperator'] = ops.inOperator;
  runtime['fromIterator'] = ops.iterable;
  // Calling an undefined name or attribute fails with what is undefined, as in Jinja.
  runtime['callWrap'] = (fn: unknown, name: string, context: unknown, args: unknown[]): unknown => {
    if (fn instanceof Undef) fn.fail();
    if (typeof fn !== 'function') throw new TemplateError(`'${typeName(plain(fn))}' object is not callable`);
    return (fn as (...a: unknown[]) => unknown).apply(context, args);
  };
}

/** Installs every feature on kelpie's classes and runtime (nj is kelpie's view, never stock nunjucks). */
export function installPythonSemantics(nj: NunjucksInternals): void {
  const proto = nj.compiler.Compiler.prototype;
  useOurRuntime(nj.runtime);
  installStatements(nj);
  slices(nj);
  jinjaLookupErrors(nj);
  integerAttributes(nj);
  balanceBraces(nj);
  pythonStringEscapes(nj);
  testArgumentWithoutParens(nj);
  installSyntax(nj);
  inlineIfWithoutElse(nj);

  // A node that coerces its target with Python truthiness.
  const Truth = nj.nodes.Node.extend('KelpieTruth', { fields: ['target'] });
  const origAssert = proto['assertType'] as (this: CompilerProto, node: unknown, ...types: unknown[]) => void;
  proto['assertType'] = function (this: CompilerProto, node: unknown, ...types: unknown[]) {
    if (node instanceof Truth) return;
    origAssert.call(this, node, ...types);
  };
  proto['compileKelpieTruth'] = function (this: CompilerProto, node: Node, frame: unknown) {
    this._emit('runtime.kelpie.truthy(');
    this._compileExpression(node['target'], frame);
    this._emit(')');
  } satisfies CompileFn;
  const wrapCond = (name: string): void => {
    const orig = proto[name] as CompileFn;
    proto[name] = function (this: CompilerProto, node: Node, frame: unknown, ...rest: unknown[]) {
      const cond = node['cond'] as Node;
      if (cond.typename !== 'KelpieTruth') node['cond'] = new Truth(cond.lineno, cond.colno, cond);
      orig.call(this, node, frame, ...rest);
    } satisfies CompileFn;
  };
  wrapCond('compileIf');
  wrapCond('compileInlineIf');

  const call = (fn: string, ...fields: string[]): CompileFn =>
    function (this: CompilerProto, node: Node, frame: unknown) {
      this._emit(`runtime.kelpie.${fn}(`);
      fields.forEach((f, i) => {
        if (i > 0) this._emit(', ');
        this._compileExpression(node[f], frame);
      });
      this._emit(')');
    };
  proto['compileAdd'] = call('add', 'left', 'right');
  proto['compileSub'] = call('sub', 'left', 'right');
  proto['compileMul'] = call('mul', 'left', 'right');
  proto['compileDiv'] = call('div', 'left', 'right');
  proto['compileFloorDiv'] = call('floordiv', 'left', 'right');
  proto['compileMod'] = call('mod', 'left', 'right');
  proto['compilePow'] = call('pow', 'left', 'right');
  proto['compileConcat'] = call('concat', 'left', 'right');
  proto['compileNeg'] = call('neg', 'target');
  proto['compilePos'] = call('pos', 'target');
  proto['compileNot'] = call('not', 'target');

  // Python's `and`/`or` return an operand and short-circuit on Python truthiness.
  const logic = (isAnd: boolean): CompileFn =>
    function (this: CompilerProto, node: Node, frame: unknown) {
      this._emit('((function(l){ return runtime.kelpie.truthy(l) ? ');
      this._emit(isAnd ? '(' : 'l : (');
      this._compileExpression(node['right'], frame);
      this._emit(isAnd ? ') : l; })(' : '); })(');
      this._compileExpression(node['left'], frame);
      this._emit('))');
    };
  proto['compileAnd'] = logic(true);
  proto['compileOr'] = logic(false);

  // A tuple literal `(a, b)`; nunjucks would emit JS's comma operator.
  const origGroup = proto['compileGroup'] as CompileFn;
  proto['compileGroup'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const children = node['children'] as Node[];
    if (children.length < 2) return origGroup.call(this, node, frame);
    this._emit('runtime.kelpie.tuple([');
    children.forEach((c, i) => {
      if (i > 0) this._emit(', ');
      this._compileExpression(c, frame);
    });
    this._emit('])');
  } satisfies CompileFn;

  // Call names end up inside a JS string literal; a newline in a literal breaks it.
  const origNodeName = proto['_getNodeName'] as (this: CompilerProto, node: Node) => string;
  proto['_getNodeName'] = function (this: CompilerProto, node: Node): string {
    return origNodeName.call(this, node).replace(/[\\\n\r\u2028\u2029]/g, ' ');
  };

  // Track the template line for runtime errors (nunjucks only does it for calls).
  proto['compileOutput'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const buffer = this['buffer'] as string;
    for (const child of node['children'] as Node[]) {
      if (child.typename === 'TemplateData') {
        if (child['value']) {
          this._emit(`${buffer} += `);
          this.compile(child, frame);
          this._emit(';\n');
        }
      } else {
        this._emit(`lineno = ${child.lineno}; colno = ${child.colno}; ${buffer} += runtime.suppressValue(`);
        this._compileExpression(child, frame);
        this._emit(', false);\n');
      }
    }
  } satisfies CompileFn;
  for (const name of ['compileIf', 'compileFor']) {
    const orig = proto[name] as CompileFn;
    proto[name] = function (this: CompilerProto, node: Node, frame: unknown, ...rest: unknown[]) {
      this._emit(`lineno = ${node.lineno}; colno = ${node.colno};\n`);
      orig.call(this, node, frame, ...rest);
    } satisfies CompileFn;
  }

  const origSymbol = proto['compileSymbol'] as CompileFn;
  proto['compileSymbol'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const name = node['value'] as string;
    if (name.startsWith(FLOAT_MARK)) this._emit(`runtime.kelpie.floatLiteral(${JSON.stringify(name.slice(FLOAT_MARK.length))})`);
    else if (/^\d+(\.\d*)?e\+?\d+$/i.test(name)) this._emit(`runtime.kelpie.floatLiteral(${JSON.stringify(name)})`);
    else origSymbol.call(this, node, frame);
  } satisfies CompileFn;

  // nunjucks emits test arguments without commas (`is version('1', '<')` breaks).
  proto['compileIs'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const right = node['right'] as Node & { name?: Node; args?: Node & { children: Node[] } };
    const name = right.name ? (right.name['value'] as string) : (right['value'] as string);
    this._emit(`(env.getTest(${JSON.stringify(name)}).call(context, `);
    this._compileExpression(node['left'], frame);
    for (const a of right.args?.children ?? []) {
      this._emit(', ');
      this._compileExpression(a, frame);
    }
    this._emit(') === true)');
  } satisfies CompileFn;

  // `a < b < c` is `a < b and b < c`.
  proto['compileCompare'] = function (this: CompilerProto, node: Node, frame: unknown) {
    const opsList = node['ops'] as Node[];
    let left = node['expr'];
    this._emit('(');
    opsList.forEach((op, i) => {
      if (i > 0) this._emit(' && ');
      this._emit(`runtime.kelpie.compare(${JSON.stringify(op['type'])}, `);
      this._compileExpression(left, frame);
      this._emit(', ');
      this._compileExpression(op['expr'], frame);
      this._emit(')');
      left = op['expr'];
    });
    this._emit(')');
  } satisfies CompileFn;
}

/**
 * Jinja balances brackets, so `{{ {'a': {'b': 1}} }}` is one expression; nunjucks' lexer
 * ends the expression at the first `}}`. Inside an open dict literal, lex `}` alone.
 */
function balanceBraces(nj: NunjucksInternals): void {
  const lexer = nj.lexer;
  // The Tokenizer class is not exported; reach its prototype through an instance.
  const proto = Object.getPrototypeOf(lexer.lex('', {})) as TokenizerProto;
  const orig = proto.nextToken;
  proto.nextToken = function (this: TokenizerState): Token | null {
    const depth = this.kelpieBraces ?? 0;
    if (this.in_code && depth > 0 && this.str.startsWith('}}', this.index)) {
      const tok = { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      this.kelpieBraces = depth - 1;
      return tok;
    }
    const tok = orig.call(this);
    // Float literals keep their float-ness (`2.0` prints `2.0`): smuggle them through the
    // parser as a marked symbol that compileSymbol turns back into a Python float.
    if (tok?.type === lexer.TOKEN_FLOAT) return { ...tok, type: lexer.TOKEN_SYMBOL, value: FLOAT_MARK + tok.value };
    // Jinja's trim_blocks also drops the newline after a comment; nunjucks does not.
    if (tok?.type === lexer.TOKEN_COMMENT && this.trimBlocks) {
      if (this.str.startsWith('\r\n', this.index)) {
        this.forward();
        this.forward();
      } else if (this.str[this.index] === '\n') this.forward();
    }
    if (tok?.type === lexer.TOKEN_LEFT_CURLY) this.kelpieBraces = depth + 1;
    else if (tok?.type === lexer.TOKEN_RIGHT_CURLY) this.kelpieBraces = Math.max(0, depth - 1);
    else if (!this.in_code) this.kelpieBraces = 0;
    return tok;
  };
}

const NOT_AN_ARGUMENT = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);

/** Jinja allows one test argument without parentheses: `x is divisibleby 3`, `x is sameas false`. */
function testArgumentWithoutParens(nj: NunjucksInternals): void {
  const { nodes, lexer } = nj;
  nj.parser.Parser.prototype.parseIs = function (this: ParserState): Node {
    let node = this.parseCompare();
    if (!this.skipSymbol('is')) return node;
    const not = this.skipSymbol('not');
    let test = this.parseCompare();
    const next = this.peekToken();
    const startsArgument =
      next !== null &&
      ((next.type === lexer.TOKEN_SYMBOL && !NOT_AN_ARGUMENT.has(next.value)) ||
        ['int', 'float', 'string', 'boolean', 'none'].includes(next.type));
    if (test.typename === 'Symbol' && startsArgument) {
      const argument = this.parsePrimary();
      test = new nodes.FunCall(test.lineno, test.colno, test, new nodes.NodeList(argument.lineno, argument.colno, [argument]));
    }
    node = new nodes.Is(node.lineno, node.colno, node, test);
    return not ? new nodes.Not(node.lineno, node.colno, node) : node;
  };
}

/** An unknown filter or test fails with Jinja's words (through Ansible's plugin loader). */
function jinjaLookupErrors(nj: NunjucksInternals): void {
  const proto = nj.Environment.prototype;
  const missing = (name: string): never => {
    throw new TemplateError(`Could not load "${name}": '${name}'`);
  };
  proto.getFilter = function (name) {
    return this.filters[name] ?? missing(name);
  };
  proto.getTest = function (name) {
    return this.tests[name] ?? missing(name);
  };
}

interface PostfixParser {
  peekToken(): Token | null;
  nextToken(): Token;
  skip(type: string): boolean;
  parseExpression(): Node;
  parseSignature(): Node;
  parseSubscript(): Node;
  fail(msg: string, lineno?: number, colno?: number): never;
}

/**
 * Python's slices `x[1:]`, `x[::-1]`: a subscript holds an index, or up to three parts
 * separated by colons (each may be left out). runtime.memberLookup gets the three parts.
 */
function slices(nj: NunjucksInternals): void {
  const { lexer, nodes } = nj;
  const Slice = nodes.Node.extend('Slice', { fields: ['start', 'stop', 'step'] });
  const compiler = nj.compiler.Compiler.prototype;
  const origAssert = compiler['assertType'] as (this: CompilerProto, node: unknown, ...types: unknown[]) => void;
  compiler['assertType'] = function (this: CompilerProto, node: unknown, ...types: unknown[]) {
    if (node instanceof Slice) return;
    origAssert.call(this, node, ...types);
  };
  compiler['compileSlice'] = function (this: CompilerProto, node: Node, frame: unknown) {
    for (const [i, part] of ['start', 'stop', 'step'].entries()) {
      this._emit(i === 0 ? '(' : '),(');
      this._compileExpression(node[part], frame);
    }
    this._emit(')');
  } satisfies CompileFn;
  nj.parser.Parser.prototype['parseSubscript'] = function (this: PostfixParser): Node {
    const open = this.nextToken(); // `[`
    const parts: (Node | undefined)[] = [undefined];
    while (!this.skip(lexer.TOKEN_RIGHT_BRACKET)) {
      if (this.skip(lexer.TOKEN_COLON)) {
        if (parts.length === 3) this.fail('parseSlice: too many slice components', open.lineno, open.colno);
        parts.push(undefined);
        continue;
      }
      const next = this.peekToken();
      if (parts[parts.length - 1] !== undefined || next === null) {
        if (next?.type === lexer.TOKEN_COMMA) this.fail('invalid index');
        this.fail('parseAggregate: expected comma after expression', open.lineno, open.colno);
      }
      parts[parts.length - 1] = this.parseExpression();
    }
    if (parts.length === 1) return parts[0] ?? this.fail('invalid index', open.lineno, open.colno);
    const literal = (v: unknown): Node => new nodes.Literal(open.lineno, open.colno, v);
    return new Slice(open.lineno, open.colno, parts[0] ?? literal(null), parts[1] ?? literal(null), parts[2] ?? literal(1));
  };
}

/** Marks a LookupVal written `x.name` (an attribute first), not `x['name']` (an item first). */
const DOT = 'kelpieDot';

/**
 * Jinja's attribute-style integer index: `x.results.0` is `x.results[0]`. The lexer reads
 * the digits after a `.` as an integer (not as the start of a float `0.item`), and the
 * parser accepts an integer where nunjucks only accepts a name.
 */
function integerAttributes(nj: NunjucksInternals): void {
  const { lexer, nodes } = nj;
  const tokProto = Object.getPrototypeOf(lexer.lex('', {})) as TokenizerProto;
  const orig = tokProto.nextToken;
  tokProto.nextToken = function (this: TokenizerState): Token | null {
    if (this.in_code && this.kelpieAfterDot && /[0-9]/.test(this.current())) {
      const start = { lineno: this.lineno, colno: this.colno };
      let digits = '';
      while (!this.isFinished() && /[0-9]/.test(this.current())) {
        digits += this.current();
        this.forward();
      }
      this.kelpieAfterDot = false;
      return { type: lexer.TOKEN_INT, value: digits, ...start };
    }
    const tok = orig.call(this);
    this.kelpieAfterDot = tok !== null && tok.type === lexer.TOKEN_OPERATOR && tok.value === '.';
    return tok;
  };
  const compiler = nj.compiler.Compiler.prototype;
  compiler['compileLookupVal'] = function (this: CompilerProto, node: Node, frame: unknown) {
    this._emit(node[DOT] ? 'runtime.attributeLookup((' : 'runtime.memberLookup((');
    this._compileExpression(node['target'], frame);
    this._emit('),');
    this._compileExpression(node['val'], frame);
    this._emit(')');
  } satisfies CompileFn;
  const nodeClasses = nodes as unknown as Record<string, NodeClass>;
  nj.parser.Parser.prototype['parsePostfix'] = function (this: PostfixParser, start: Node): Node {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === 'left-paren') node = new nodeClasses['FunCall']!(tok.lineno, tok.colno, node, this.parseSignature());
      else if (tok.type === 'left-bracket') node = new nodeClasses['LookupVal']!(tok.lineno, tok.colno, node, this.parseSubscript());
      else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const name = this.nextToken();
        const isInt = name.type === lexer.TOKEN_INT;
        if (name.type !== lexer.TOKEN_SYMBOL && !isInt) this.fail(`expected name or number, got ${name.value}`, name.lineno, name.colno);
        const key = new nodeClasses['Literal']!(name.lineno, name.colno, isInt ? parseInt(name.value, 10) : name.value);
        node = new nodeClasses['LookupVal']!(tok.lineno, tok.colno, node, key);
        node[DOT] = true;
      } else break;
    }
    return node;
  };
}

