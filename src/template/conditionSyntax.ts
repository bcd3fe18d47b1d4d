/**
 * What Jinja refuses in a condition that it accepts in `{{ }}`. Ansible evaluates a condition
 * as `{% if <condition> %} True {% else %} False {% endif %}`, and the `{% if %}` tag reads
 * its test without conditional expressions at the top (Jinja's parse_tuple with
 * with_condexpr=False): an unparenthesized inline `A if B [else C]` there, or as an item of a
 * top-level tuple `a, b if c`, is a template syntax error. Inside brackets (parentheses, a
 * list, a call's or a filter's arguments) it is an ordinary expression.
 */
import { TemplateError, type SourceLocation } from '../errors.js';
import { walkCode } from './codeWalk.js';

const NAME_CHAR = /[A-Za-z0-9_]/;

/** Whether the condition's code has an `if` keyword outside every bracket and string literal. */
export function hasTopLevelInlineIf(condition: string): boolean {
  let depth = 0;
  let found = false;
  const stop = walkCode(condition, 0, (c, i) => {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === 'i' && condition[i + 1] === 'f') {
      const isWord = !NAME_CHAR.test(condition[i - 1] ?? '') && !NAME_CHAR.test(condition[i + 2] ?? '');
      // `x.if` reads an attribute named `if`
      found = isWord && !/\.\s*$/.test(condition.slice(0, i));
    }
    return found;
  });
  // code walkCode cannot follow (a regex literal) is left to the evaluation
  return stop >= 0 && found;
}

/** A condition Jinja cannot parse as an `{% if %}` test; changed_when/failed_when record it in the result. */
export class ConditionSyntaxError extends TemplateError {
  constructor(message: string, loc: SourceLocation | undefined) {
    super(message, loc ? { loc } : {});
    this.name = 'ConditionSyntaxError';
  }
}

/**
 * Refuses `condition` (the text evaluated, after any `{{ }}` in `original` was rendered) when
 * it has a top-level inline if, in Ansible's words: its template error inside the conditional's failure.
 */
export function refuseTopLevelInlineIf(original: string, condition: string, loc: SourceLocation | undefined): void {
  if (!hasTopLevelInlineIf(condition)) return;
  const error = "expected token 'end of statement block', got 'if'";
  const presented = `{% if ${condition} %} True {% else %} False {% endif %}`;
  const message = `The conditional check '${original}' failed. The error was: template error while templating string: ${error}. String: ${presented}. ${error}`;
  throw new ConditionSyntaxError(message, loc);
}

/** The ConditionSyntaxError behind an error, if any. */
export function conditionSyntaxError(e: unknown): ConditionSyntaxError | undefined {
  for (let cur = e; cur instanceof Error; cur = cur.cause) if (cur instanceof ConditionSyntaxError) return cur;
  return undefined;
}
