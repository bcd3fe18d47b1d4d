/** find's matching rules (patterns, excludes, age, size, hidden, type), as pure functions. */
import { fnmatch } from '../../fnmatch.js';
import { compilePyRegex } from '../_lib/pyregex.js';
import type { PathInfo } from '../_lib/probe.js';

/** Ansible's pfilter: a glob, or a regex matched at the start of the name (Python's re.match), tried in order. */
export function matchesName(name: string, patterns: readonly string[], useRegex: boolean): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => (useRegex ? compilePyRegex(p).exec(name)?.index === 0 : fnmatch(name, p)));
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** age "2d" = at least 2 days old, "-2d" = younger than 2 days (Ansible's rule). */
export function parseAge(age: string): number | undefined {
  const m = /^(-?\d+)([smhdw])?$/i.exec(age.trim());
  return m ? Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]! : undefined;
}

export function parseSize(size: string): number | undefined {
  const m = /^(-?\d+)([bkmgt])?$/i.exec(size.trim());
  return m ? Number(m[1]) * SIZES[(m[2] ?? 'b').toLowerCase()]! : undefined;
}

export function ageMatches(stamp: number, age: number, now: number): boolean {
  return age >= 0 ? now - stamp >= age : now - stamp <= -age;
}

export function sizeMatches(size: number, want: number): boolean {
  return want >= 0 ? size >= want : size <= -want;
}

export function typeMatches(info: PathInfo, fileType: string): boolean {
  if (fileType === 'any') return true;
  if (fileType === 'link') return info.type === 'link';
  return info.type === fileType;
}
