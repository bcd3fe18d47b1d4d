/**
 * Jinja's `a if cond` without an else: when cond is false its value is Jinja's lenient
 * Undefined with a hint naming the template line (nunjucks gives ''). Installed before the
 * compiler's truthiness wrapper (patch.ts), which then wraps this compileInlineIf.
 */
import type { CompileFn, CompilerProto, Node, NunjucksInternals } from './nunjucksTypes.js';

export function inlineIfWithoutElse(nj: NunjucksInternals): void {
  const proto = nj.compiler.Compiler.prototype;
  proto['compileInlineIf'] = function (this: CompilerProto, node: Node, frame: unknown) {
    this._emit('(');
    this._compileExpression(node['cond'], frame);
    this._emit(' ? ');
    this._compileExpression(node['body'], frame);
    this._emit(' : ');
    // nunjucks' line numbers count from 0, Jinja's from 1
    if (node['else_']) this._compileExpression(node['else_'], frame);
    else this._emit(`runtime.kelpie.condExprUndefined(${node.lineno + 1})`);
    this._emit(')');
  } satisfies CompileFn;
}
