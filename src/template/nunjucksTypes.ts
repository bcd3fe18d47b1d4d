/** The shapes of nunjucks internals kelpie builds on (nunjucks ships no types for them). */
export interface Node {
  typename: string;
  lineno: number;
  colno: number;
  [field: string]: unknown;
}
export type NodeClass = (new (lineno: number, colno: number, ...fields: unknown[]) => Node) & { extend(name: string, def: object): NodeClass };
export interface CompilerProto {
  compile(node: unknown, frame: unknown): void;
  getCode(): string;
  _emit(code: string): void;
  _compileExpression(node: unknown, frame: unknown): void;
  [name: string]: unknown;
}
export type CompileFn = (this: CompilerProto, node: Node, frame: unknown, ...rest: unknown[]) => void;

export interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
export interface TokenizerProto {
  nextToken(this: TokenizerState): Token | null;
  _parseString(this: TokenizerState, delimiter: string): string;
}
export interface TokenizerState {
  in_code: boolean;
  str: string;
  index: number;
  lineno: number;
  colno: number;
  forward(): void;
  current(): string;
  isFinished(): boolean;
  trimBlocks: boolean;
  kelpieBraces?: number;
  kelpieAfterDot?: boolean;
}

export interface ParserProto {
  parseIs(this: ParserState): Node;
}
export interface ParserState {
  parseCompare(): Node;
  parsePrimary(): Node;
  parseExpression(): Node;
  parseAsRoot(): Node;
  peekToken(): Token | null;
  skip(type: string): boolean;
  skipSymbol(name: string): boolean;
  extensions: unknown[];
}

export interface EnvironmentProto {
  getFilter(this: { filters: Record<string, unknown> }, name: string): unknown;
  getTest(this: { tests: Record<string, unknown> }, name: string): unknown;
}

export interface Lexer {
  lex(src: string, opts: object): object;
  TOKEN_FLOAT: string;
  TOKEN_INT: string;
  TOKEN_OPERATOR: string;
  TOKEN_SYMBOL: string;
  TOKEN_COMMENT: string;
  TOKEN_LEFT_CURLY: string;
  TOKEN_RIGHT_CURLY: string;
  TOKEN_RIGHT_BRACKET: string;
  TOKEN_COLON: string;
  TOKEN_COMMA: string;
}

/** The parts of nunjucks kelpie builds on: the stock ones (read only), or kelpie's subclasses. */
export interface NunjucksInternals {
  Environment: { prototype: EnvironmentProto };
  parser: { Parser: { prototype: ParserProto & Record<string, unknown> } };
  lexer: Lexer;
  compiler: { Compiler: { prototype: CompilerProto } };
  runtime: Record<string, unknown>;
  nodes: { Node: NodeClass; FunCall: NodeClass; NodeList: NodeClass; Is: NodeClass; Not: NodeClass; Literal: NodeClass; LookupVal: NodeClass };
  lib: { _prettifyError(path: string | undefined, withInternals: boolean, err: unknown): Error };
}
