/** kelpie's error hierarchy: user mistakes carry a source location and a hint. */
export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export type ErrorCode =
  | 'config' // bad options, playbook, inventory: exit 5 (4 for YAML parse like ansible? ansible uses 4 for parse errors)
  | 'syntax' // YAML syntax error
  | 'template' // undefined variable, bad expression
  | 'connect' // host unreachable
  | 'auth' // authentication failed (unreachable too)
  | 'timeout'
  | 'module'; // a module failed on a host

export class KelpieError extends Error {
  readonly code: ErrorCode;
  readonly loc: SourceLocation | undefined;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, opts: { loc?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'KelpieError';
    this.code = code;
    this.loc = opts.loc;
    this.hint = opts.hint;
  }
  /** `site.yaml:14:7: unknown argument 'nmae' (did you mean 'name'?)` */
  format(): string {
    const where = this.loc ? `${this.loc.file}:${this.loc.line}:${this.loc.col}: ` : '';
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${where}${this.message}${hint}`;
  }
  /** Same error, pinned to a location if it has none yet. */
  at(loc: SourceLocation | undefined): KelpieError {
    if (this.loc || !loc) return this;
    const e = new KelpieError(this.code, this.message, { loc, ...(this.hint ? { hint: this.hint } : {}), cause: this.cause });
    e.stack = this.stack;
    return e;
  }
}

export class ConfigError extends KelpieError {
  constructor(message: string, opts: { loc?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super('config', message, opts);
    this.name = 'ConfigError';
  }
}

export class TemplateError extends KelpieError {
  constructor(message: string, opts: { loc?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super('template', message, opts);
    this.name = 'TemplateError';
  }
}

/** The host could not be reached or authenticated: UNREACHABLE, not FAILED. */
export class ConnectError extends KelpieError {
  constructor(message: string, opts: { hint?: string; cause?: unknown; code?: 'connect' | 'auth' | 'timeout' } = {}) {
    super(opts.code ?? 'connect', message, opts);
    this.name = 'ConnectError';
  }
}

export class CommandTimeoutError extends KelpieError {
  constructor(message: string) {
    super('timeout', message);
    this.name = 'CommandTimeoutError';
  }
}

/**
 * The run was interrupted (SIGINT/SIGTERM) while this operation was in flight: the
 * command's processes were killed or the transfer aborted. Not the host's fault.
 */
export class InterruptedError extends KelpieError {
  constructor(message: string) {
    super('module', message);
    this.name = 'InterruptedError';
  }
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest candidate within a sensible distance, or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean '${c}'?` : undefined;
}
