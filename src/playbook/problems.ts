/** Every problem found in a playbook, collected so the user sees all of them at once. */
import { ConfigError, KelpieError, type SourceLocation } from '../errors.js';

export interface LoadWarning {
  message: string;
  loc?: SourceLocation;
}

function byPosition(a: KelpieError, b: KelpieError): number {
  const la = a.loc;
  const lb = b.loc;
  if (!la || !lb) return la ? -1 : lb ? 1 : 0;
  if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
  return la.line - lb.line || la.col - lb.col;
}

export class PlaybookErrors extends KelpieError {
  readonly errors: KelpieError[];
  constructor(errors: KelpieError[]) {
    const sorted = [...errors].sort(byPosition);
    const first = sorted[0];
    super('config', sorted.length === 1 && first ? first.message : `${sorted.length} problems in the playbook`, {
      ...(first?.loc ? { loc: first.loc } : {}),
      ...(sorted.length === 1 && first?.hint ? { hint: first.hint } : {}),
    });
    this.name = 'PlaybookErrors';
    this.errors = sorted;
  }
  /** One line per problem: `file:line:col: message (hint)`. */
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

export class Problems {
  readonly errors: KelpieError[] = [];
  readonly warnings: LoadWarning[] = [];
  private readonly seen = new Set<string>();

  error(message: string, loc: SourceLocation | undefined, hint?: string): void {
    this.add(new ConfigError(message, { ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) }));
  }

  add(e: KelpieError): void {
    // The same file imported twice would report its problems twice.
    const key = e.format();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(e);
  }

  warn(message: string, loc?: SourceLocation): void {
    this.warnings.push({ message, ...(loc ? { loc } : {}) });
  }

  throwIfAny(): void {
    if (this.errors.length) throw new PlaybookErrors(this.errors);
  }
}
