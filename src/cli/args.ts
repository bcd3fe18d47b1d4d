/** A small argv parser: flags with values, repeatable flags, -vvv counting, did-you-mean for unknown flags. */
import { didYouMean, KelpieError } from '../errors.js';

export class UsageError extends KelpieError {
  constructor(message: string, hint?: string) {
    super('config', message, hint ? { hint } : {});
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  names: string[]; // ['-i', '--inventory']
  key: string;
  takesValue: boolean;
  repeat?: boolean;
}

export interface Parsed {
  flags: Record<string, string | string[] | boolean | number>;
  positional: string[];
}

export function parseArgs(argv: string[], specs: FlagSpec[]): Parsed {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const flags: Parsed['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (/^-v+$/.test(a)) {
      flags.verbose = ((flags.verbose as number | undefined) ?? 0) + a.length - 1;
      continue;
    }
    if (a === '--verbose') {
      flags.verbose = ((flags.verbose as number | undefined) ?? 0) + 1;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    let name = a;
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      name = a.slice(0, eq);
      inline = a.slice(eq + 1);
    } else if (!a.startsWith('--') && a.length > 2 && byName.get(a.slice(0, 2))?.takesValue) {
      name = a.slice(0, 2);
      inline = a.slice(2);
    }
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option '${name}'`, didYouMean(name, byName.keys()) ?? 'see --help');
    if (!spec.takesValue) {
      flags[spec.key] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option '${name}' needs a value`);
    if (spec.repeat) flags[spec.key] = [...((flags[spec.key] as string[] | undefined) ?? []), value];
    else flags[spec.key] = value;
  }
  return { flags, positional };
}

export function str(p: Parsed, key: string): string | undefined {
  const v = p.flags[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, key: string): string[] {
  const v = p.flags[key];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function bool(p: Parsed, key: string): boolean {
  return p.flags[key] === true;
}
