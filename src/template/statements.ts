/**
 * Jinja's statements where nunjucks differs, installed on kelpie's parser and compiler
 * (patch.ts calls installStatements): `for … in … if …` with `loop.cycle`, `loop.previtem`,
 * `loop.nextitem`, `loop.changed` and Jinja's scoping (a `set` inside a loop or a `with`
 * stays there); `{% with %}`; `{% set a, b = … %}` unpacking and `{% set ns.x = … %}` on a
 * namespace(); macros with `varargs`, `kwargs` and `caller` bound as Jinja binds them; and
 * Jinja's words for an unknown tag. Render-time helpers live in statementRuntime.ts.
 */
import * as stmt from './statementRuntime.js';
import type { CompilerProto, Node, NodeClass, NunjucksInternals, Token } from './nunjucksTypes.js';

interface CompileFrame {
  variables: Record<string, string | undefined>;
  parent: CompileFrame | undefined;
  kelpieScope?: boolean;
  push(isolate?: boolean): CompileFrame;
  set(name: string, id: string): void;
  lookup(name: string): string | undefined;
}

interface Compiler extends CompilerProto {
  _tmpid(): string;
  _emitLine(code: string): void;
  _pushBuffer(): string;
  _popBuffer(): void;
  _withScopedSyntax(fn: () => void): void;
  _emitLines(...lines: string[]): void;
  assertType(node: unknown, ...types: unknown[]): void;
  fail(msg: string, lineno?: number, colno?: number): never;
}

interface Parser {
  peekToken(): Token;
  nextToken(): Token;
  skip(type: string): boolean;
  skipSymbol(name: string): boolean;
  skipValue(type: string, value: string): boolean;
  parsePrimary(noPostfix?: boolean): Node;
  parseExpression(): Node;
  parseOr(): Node;
  parseUntilBlocks(...names: string[]): Node;
  advanceAfterBlockEnd(name?: string): Token;
  fail(msg: string, lineno?: number, colno?: number): never;
  breakOnBlocks: string[] | null;
}

type Fn = (this: Compiler, node: Node, frame: CompileFrame) => void;

/** Jinja's end tags per block, in the order its messages list them. */
const END_TAGS: Record<string, string[]> = {
  if: ['elif', 'else', 'endif'],
  for: ['endfor', 'else'],
  macro: ['endmacro'],
  call: ['endcall'],
  filter: ['endfilter'],
  set: ['endset'],
  with: ['endwith'],
  block: ['endblock'],
};

/** Jinja's message for an unknown tag (name) or the end of the template (no name) inside the blocks open. */
function unfinishedBlock(name: string | undefined, open: string[]): string {
  const parts = [name === undefined ? 'Unexpected end of template.' : `Encountered unknown tag '${name}'.`];
  const innermost = open[open.length - 1];
  if (innermost) {
    const looking = END_TAGS[innermost]!.map((t) => `'${t}'`).join(' or ');
    const expected = new Set(open.flatMap((b) => END_TAGS[b]!));
    if (name !== undefined && expected.has(name)) parts.push(`You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`);
    else parts.push(`Jinja was looking for the following tags: ${looking}.`);
    parts.push(`The innermost block that needs to be closed is '${innermost}'.`);
  }
  return parts.join(' ');
}

/** The names a macro body reads (to know whether it takes varargs, kwargs, caller). */
function readsName(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => readsName(n, name));
  if (typeof node !== 'object' || node === null) return false;
  const n = node as Node;
  if (n.typename === 'Symbol' && n['value'] === name) return true;
  return Object.keys(n).some((k) => k !== 'typename' && readsName(n[k], name));
}

export function installStatements(nj: NunjucksInternals): void {
  const { nodes, lexer } = nj;
  const BLOCK_END = 'block-end';
  nj.runtime['kelpieStmt'] = stmt;
  const proto = nj.compiler.Compiler.prototype as unknown as Record<string, unknown>;
  const parser = nj.parser.Parser.prototype as unknown as Record<string, unknown>;
  const With = nodes.Node.extend('KelpieWith', { fields: ['targets', 'values', 'body'] });
  const nodeClass = (name: string): NodeClass => (nodes as unknown as Record<string, NodeClass>)[name]!;
  const [Group, For, NodeArray, SetNode, Capture] = ['Group', 'For', 'Array', 'Set', 'Capture'].map(nodeClass) as [NodeClass, NodeClass, NodeClass, NodeClass, NodeClass];

  // --- parsing --------------------------------------------------------------------
  const openBlocks: string[] = [];
  const tracked = (block: string, orig: unknown) =>
    function (this: Parser, ...args: unknown[]) {
      openBlocks.push(block);
      try {
        return (orig as (...a: unknown[]) => Node).apply(this, args);
      } finally {
        openBlocks.pop();
      }
    };
  const origStatement = parser['parseStatement'] as (this: Parser) => Node | null;
  parser['parseStatement'] = function (this: Parser): Node | null {
    const tok = this.peekToken();
    if (tok.type === lexer.TOKEN_SYMBOL && !(this.breakOnBlocks ?? []).includes(tok.value)) {
      if (tok.value === 'with') return parseWith.call(this);
      const known = ['raw', 'if', 'for', 'block', 'extends', 'include', 'set', 'macro', 'call', 'import', 'from', 'filter'];
      if (!known.includes(tok.value)) this.fail(unfinishedBlock(tok.value, openBlocks), tok.lineno, tok.colno);
    }
    return origStatement.call(this);
  };
  for (const [method, block] of [['parseIf', 'if'], ['parseMacro', 'macro'], ['parseCall', 'call'], ['parseFilterStatement', 'filter'], ['parseBlock', 'block']] as const) {
    parser[method] = tracked(block, parser[method]);
  }
  const origAdvance = parser['advanceAfterBlockEnd'] as (this: Parser, name?: string) => Token;
  parser['advanceAfterBlockEnd'] = function (this: Parser, name?: string): Token {
    // the end of the template inside an open block: Jinja's words
    if (!name && this.peekToken() === null && openBlocks.length) this.fail(unfinishedBlock(undefined, openBlocks));
    return origAdvance.call(this, name);
  };

  function parseWith(this: Parser): Node {
    const tag = this.nextToken();
    const targets: Node[] = [];
    const values: Node[] = [];
    while (this.peekToken().type !== BLOCK_END) {
      if (targets.length && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected token ',', got " + this.peekToken().value);
      const target = this.parsePrimary(true);
      if (target.typename !== 'Symbol') this.fail("can't assign to " + target.typename, target.lineno, target.colno);
      if (!this.skipValue(lexer.TOKEN_OPERATOR, '=')) this.fail(`expected token '=', got '${this.peekToken().value}'`);
      targets.push(target);
      values.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tag.value);
    openBlocks.push('with');
    try {
      const body = this.parseUntilBlocks('endwith');
      this.advanceAfterBlockEnd();
      return new With(tag.lineno, tag.colno, targets, values, body);
    } finally {
      openBlocks.pop();
    }
  }

  /** A comma after an expression makes a tuple, as in Jinja (`set a, b = 1, 2`). */
  function parseTuple(this: Parser, first: Node): Node {
    if (this.peekToken().type !== lexer.TOKEN_COMMA) return first;
    const items = [first];
    while (this.skip(lexer.TOKEN_COMMA)) {
      if (this.peekToken().type === BLOCK_END) break;
      items.push(this.parseExpression());
    }
    return new Group(first.lineno, first.colno, items);
  }

  parser['parseFor'] = function (this: Parser): Node {
    const forTok = this.nextToken();
    const node = new For(forTok.lineno, forTok.colno);
    const names = [this.parsePrimary(true)];
    while (this.skip(lexer.TOKEN_COMMA)) names.push(this.parsePrimary(true));
    for (const n of names) if (n.typename !== 'Symbol') this.fail('parseFor: variable name expected for loop', n.lineno, n.colno);
    node['name'] = names.length === 1 ? names[0] : new NodeArray(names[0]!.lineno, names[0]!.colno, names);
    if (!this.skipSymbol('in')) this.fail('parseFor: expected "in" keyword for loop', forTok.lineno, forTok.colno);
    node['arr'] = this.parseOr();
    node['kelpieFilter'] = this.skipSymbol('if') ? this.parseExpression() : null;
    this.advanceAfterBlockEnd(forTok.value);
    openBlocks.push('for');
    try {
      node['body'] = this.parseUntilBlocks('endfor', 'else');
      if (this.skipSymbol('else')) {
        this.advanceAfterBlockEnd('else');
        node['else_'] = this.parseUntilBlocks('endfor');
      }
      this.advanceAfterBlockEnd();
    } finally {
      openBlocks.pop();
    }
    return node;
  };

  parser['parseSet'] = function (this: Parser): Node {
    const tag = this.nextToken();
    const targets: Node[] = [];
    do targets.push(this.parsePrimary());
    while (this.skip(lexer.TOKEN_COMMA));
    const node = new SetNode(tag.lineno, tag.colno, targets);
    if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
      node['value'] = parseTuple.call(this, this.parseExpression());
      node['kelpieUnpack'] = targets.length > 1;
      this.advanceAfterBlockEnd(tag.value);
    } else {
      if (targets.length > 1 || !this.skip(BLOCK_END)) this.fail('parseSet: expected = or block end in set tag', tag.lineno, tag.colno);
      openBlocks.push('set');
      try {
        node['body'] = new Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
      } finally {
        openBlocks.pop();
      }
      node['value'] = null;
      this.advanceAfterBlockEnd();
    }
    return node;
  };

  // --- compiling ------------------------------------------------------------------
  /** A new scope (a loop body, a with block): names set inside stay inside, at run time too. */
  const enterScope = (c: Compiler, frame: CompileFrame): CompileFrame => {
    c._emitLine('frame = frame.push(true);');
    const inner = frame.push();
    inner.kelpieScope = true;
    return inner;
  };
  /** The JS variable a name already has in this scope (not in an enclosing loop or with). */
  const scopedId = (frame: CompileFrame, name: string): string | undefined => {
    for (let f: CompileFrame | undefined = frame; f; f = f.parent) {
      if (f.variables[name] !== undefined) return f.variables[name];
      if (f.kelpieScope) return undefined;
    }
    return undefined;
  };
  const bind = (c: Compiler, frame: CompileFrame, names: Node[], valueJs: string): void => {
    if (names.length === 1) {
      const id = c._tmpid();
      c._emitLine(`var ${id} = ${valueJs};`);
      c._emitLine(`frame.set(${JSON.stringify(names[0]!['value'])}, ${id});`);
      frame.set(names[0]!['value'] as string, id);
      return;
    }
    const parts = c._tmpid();
    c._emitLine(`var ${parts} = runtime.kelpieStmt.unpack(${valueJs}, ${names.length});`);
    names.forEach((n, u) => {
      const id = c._tmpid();
      c._emitLine(`var ${id} = ${parts}[${u}];`);
      c._emitLine(`frame.set(${JSON.stringify(n['value'])}, ${id});`);
      frame.set(n['value'] as string, id);
    });
  };

  proto['compileFor'] = function (this: Compiler, node: Node, outer: CompileFrame) {
    const names = node['name'] && (node['name'] as Node).typename === 'Array' ? ((node['name'] as Node)['children'] as Node[]) : [node['name'] as Node];
    const arr = this._tmpid();
    const len = this._tmpid();
    const i = this._tmpid();
    this._emit(`var ${arr} = runtime.fromIterator(`);
    this._compileExpression(node['arr'], outer);
    this._emitLine(');');
    const filter = node['kelpieFilter'] as Node | null;
    if (filter) {
      // `for x in xs if cond`: the items are filtered first; loop.index and length count the kept ones
      const kept = this._tmpid();
      const k = this._tmpid();
      this._emitLine(`var ${kept} = [];`);
      this._emitLine(`for (var ${k} = 0; ${k} < ${arr}.length; ${k}++) {`);
      const f = enterScope(this, outer);
      bind(this, f, names, `${arr}[${k}]`);
      this._emit(`if (runtime.kelpie.truthy(`);
      this._compileExpression(filter, f);
      this._emitLine(`)) ${kept}.push(${arr}[${k}]);`);
      this._emitLine('frame = frame.pop();');
      this._emitLine('}');
      this._emitLine(`${arr} = ${kept};`);
    }
    const frame = enterScope(this, outer);
    this._emitLine(`var ${len} = ${arr}.length;`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${len}; ${i}++) {`);
    bind(this, frame, names, `${arr}[${i}]`);
    const loop = (k: string, v: string): void => this._emitLine(`frame.set("loop.${k}", ${v});`);
    loop('index', `${i} + 1`);
    loop('index0', i);
    loop('revindex', `${len} - ${i}`);
    loop('revindex0', `${len} - ${i} - 1`);
    loop('first', `${i} === 0`);
    loop('last', `${i} === ${len} - 1`);
    loop('length', len);
    loop('depth', '1');
    loop('depth0', '0');
    loop('previtem', `${i} > 0 ? ${arr}[${i} - 1] : runtime.kelpieStmt.noItem("previous")`);
    loop('nextitem', `${i} < ${len} - 1 ? ${arr}[${i} + 1] : runtime.kelpieStmt.noItem("next")`);
    loop('cycle', `runtime.kelpieStmt.loopCycle(${i})`);
    this._emitLine(`if (${i} === 0) frame.set("loop.changed", runtime.kelpieStmt.loopChanged());`);
    this._withScopedSyntax(() => this.compile(node['body'], frame));
    this._emitLine('}');
    this._emitLine('frame = frame.pop();');
    if (node['else_']) {
      this._emitLine(`if (!${len}) {`);
      this.compile(node['else_'], outer);
      this._emitLine('}');
    }
  } satisfies Fn;

  proto['compileKelpieWith'] = function (this: Compiler, node: Node, outer: CompileFrame) {
    // the values are computed in the enclosing scope, before any name is bound
    const ids = (node['values'] as Node[]).map((v) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this._compileExpression(v, outer);
      this._emitLine(';');
      return id;
    });
    const frame = enterScope(this, outer);
    (node['targets'] as Node[]).forEach((t, k) => {
      this._emitLine(`frame.set(${JSON.stringify(t['value'])}, ${ids[k]});`);
      frame.set(t['value'] as string, ids[k]!);
    });
    this._withScopedSyntax(() => this.compile(node['body'], frame));
    this._emitLine('frame = frame.pop();');
  } satisfies Fn;

  proto['compileSet'] = function (this: Compiler, node: Node, frame: CompileFrame) {
    const targets = node['targets'] as Node[];
    const value = this._tmpid();
    this._emit(`var ${value} = `);
    if (node['value']) this._compileExpression(node['value'], frame);
    else this.compile(node['body'], frame);
    this._emitLine(';');
    const values = node['kelpieUnpack'] ? this._tmpid() : value;
    if (node['kelpieUnpack']) this._emitLine(`var ${values} = runtime.kelpieStmt.unpack(${value}, ${targets.length});`);
    targets.forEach((target, k) => {
      const v = node['kelpieUnpack'] ? `${values}[${k}]` : value;
      if (target.typename === 'LookupVal') {
        // `set ns.attr = …`: only a namespace() takes it
        this._emit('runtime.kelpieStmt.setAttribute(');
        this._compileExpression(target['target'], frame);
        this._emit(', ');
        this._compileExpression(target['val'], frame);
        this._emitLine(`, ${v});`);
        return;
      }
      if (target.typename !== 'Symbol') this.fail(`can't assign to ${target.typename}`, target.lineno, target.colno);
      const name = target['value'] as string;
      let id = scopedId(frame, name);
      if (id === undefined) {
        id = this._tmpid();
        this._emitLine(`var ${id};`);
      }
      this._emitLine(`${id} = ${v};`);
      this._emitLine(`frame.set(${JSON.stringify(name)}, ${id}, true);`);
      this._emitLine('if (frame.topLevel) {');
      this._emitLine(`context.setVariable(${JSON.stringify(name)}, ${id});`);
      if (!name.startsWith('_')) this._emitLine(`context.addExport(${JSON.stringify(name)}, ${id});`);
      this._emitLine('}');
    });
  } satisfies Fn;

  proto['_compileMacro'] = function (this: Compiler, node: Node, frame: CompileFrame | undefined): string {
    const funcId = 'macro_' + this._tmpid();
    const keepFrame = frame !== undefined;
    const params: Node[] = [];
    const defaults: Node[] = [];
    const children = (node['args'] as Node)['children'] as Node[];
    children.forEach((arg, k) => {
      if (k === children.length - 1 && arg.typename === 'KeywordArgs') {
        for (const pair of arg['children'] as Node[]) {
          params.push(pair['key'] as Node);
          defaults.push(pair['value'] as Node);
        }
      } else {
        this.assertType(arg, nodeClass('Symbol'));
        params.push(arg);
      }
    });
    const required = params.length - defaults.length;
    const body = node['body'];
    const sig = {
      name: node['name'] ? ((node['name'] as Node)['value'] as string) : 'caller',
      params: params.map((p) => p['value'] as string),
      varargs: readsName(body, 'varargs'),
      kwargs: readsName(body, 'kwargs'),
      caller: readsName(body, 'caller'),
    };
    const inner = keepFrame ? frame.push(true) : new (nj.runtime['Frame'] as new () => CompileFrame)();
    this._emitLines(
      `var ${funcId} = runtime.kelpieStmt.macro(${JSON.stringify(sig)}, function (values, provided, varargs, kwargs, caller) {`,
      'var callerFrame = frame;',
      'frame = ' + (keepFrame ? 'frame.push(true);' : 'new runtime.Frame();'),
    );
    params.forEach((p, k) => {
      const name = p['value'] as string;
      const id = `l_${name}`;
      this._emit(`var ${id} = provided[${k}] ? values[${k}] : `);
      if (k < required) this._emit(`runtime.kelpieStmt.missingParameter(${JSON.stringify(name)})`);
      else this._compileExpression(defaults[k - required], inner);
      this._emitLine(';');
      this._emitLine(`frame.set(${JSON.stringify(name)}, ${id});`);
      inner.set(name, id);
    });
    if (sig.varargs) this._emitLine('frame.set("varargs", varargs);');
    if (sig.kwargs) this._emitLine('frame.set("kwargs", kwargs);');
    if (sig.caller) this._emitLine('frame.set("caller", caller);');
    const buffer = this._pushBuffer();
    this._withScopedSyntax(() => this.compile(body, inner));
    this._emitLine('frame = ' + (keepFrame ? 'frame.pop();' : 'callerFrame;'));
    this._emitLine(`return new runtime.SafeString(${buffer});`);
    this._emitLine('});');
    this._popBuffer();
    return funcId;
  };
}
