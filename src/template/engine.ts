/**
 * kelpie's template engine: its subclasses of nunjucks' Tokenizer, Parser, Compiler and
 * Environment and its copy of nunjucks' runtime, taught Python semantics by patch.ts.
 * Templates are compiled with these classes and handed to nunjucks' public Template API
 * as precompiled code bound to kelpie's runtime, so the nunjucks module objects stay
 * untouched: a stock `nunjucks.Environment` in the same process renders as stock.
 */
import nunjucks from 'nunjucks';
import transformer from 'nunjucks/src/transformer.js';
import { installPythonSemantics, type CompilerProto, type Node, type NunjucksInternals, type ParserState, type TokenizerState } from './patch.js';

type Ctor<T> = new (...args: never[]) => T;
const stock = nunjucks as unknown as NunjucksInternals & { parser: { Parser: Ctor<ParserState> }; compiler: { Compiler: Ctor<CompilerProto> } };
// The Tokenizer class is not exported; reach it through an instance.
const StockTokenizer = (Object.getPrototypeOf(stock.lexer.lex('', {})) as { constructor: Ctor<TokenizerState> }).constructor;

class KelpieTokenizer extends (StockTokenizer as new (src: string, opts: object) => TokenizerState) {}
class KelpieParser extends (stock.parser.Parser as new (tokens: object) => ParserState) {}
class KelpieCompiler extends (stock.compiler.Compiler as new (name: string | undefined, throwOnUndefined: boolean) => CompilerProto) {}
/** The Environment kelpie's templates render in (its filter and test lookups speak Jinja). */
export class KelpieEnvironment extends nunjucks.Environment {}

/** kelpie's view of nunjucks: its own classes and runtime in place of the stock ones. */
const kj: NunjucksInternals = {
  ...stock,
  Environment: KelpieEnvironment as unknown as NunjucksInternals['Environment'],
  parser: { Parser: KelpieParser as unknown as NunjucksInternals['parser']['Parser'] },
  lexer: { ...stock.lexer, lex: (src, opts) => new KelpieTokenizer(src, opts) },
  compiler: { Compiler: KelpieCompiler },
  runtime: { ...stock.runtime },
};

installPythonSemantics(kj);

/** What nunjucks' Template accepts as a precompiled template. */
export interface CompiledTemplate {
  type: 'code';
  obj: Record<string, unknown>;
}

/**
 * Compiles a template with kelpie's classes. Its render functions are bound to kelpie's
 * runtime (nunjucks passes its own global runtime to a precompiled template).
 * A syntax error is thrown as nunjucks throws it, located and naming path.
 */
export function compileKelpie(src: string, env: nunjucks.Environment, path?: string): CompiledTemplate {
  const opts = (env as unknown as { opts: { throwOnUndefined?: boolean; trimBlocks?: boolean; lstripBlocks?: boolean } }).opts;
  let props: Record<string, unknown>;
  try {
    const compiler = new KelpieCompiler(path, opts.throwOnUndefined ?? false);
    compiler.compile(transformer.transform(parseTemplate(src, opts), [], path), undefined);
    props = new Function(compiler.getCode())() as Record<string, unknown>;
  } catch (err) {
    throw stock.lib._prettifyError(path, true, err);
  }
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(props)) {
    bound[name] = typeof fn !== 'function' ? fn : (env: unknown, context: unknown, frame: unknown, _runtime: unknown, cb: unknown) => fn(env, context, frame, kj.runtime, cb);
  }
  return { type: 'code', obj: bound };
}

/** A nunjucks Template of src, compiled by kelpie (see compileKelpie). */
export function compileTemplate(src: string, env: nunjucks.Environment, path?: string): nunjucks.Template {
  return new nunjucks.Template(compileKelpie(src, env, path) as unknown as string, env, path, true);
}

/** Parses src with kelpie's parser (also for load-time checks of a template's filters and tests). */
export function parseTemplate(src: string, opts: { trimBlocks?: boolean; lstripBlocks?: boolean } = {}): Node {
  const parser = new KelpieParser(kj.lexer.lex(src, opts));
  parser.extensions = [];
  return parser.parseAsRoot();
}
