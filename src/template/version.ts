/** Version comparison for the `version` test: loose (distutils LooseVersion-like), strict, semver. */
import { TemplateError } from '../errors.js';

function looseParts(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/i)
    .filter((p) => p && p !== '.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function cmpParts(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // LooseVersion in py3 would raise comparing int and str; order numbers first, as pep440-ish.
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function semver(v: string): { core: number[]; pre: (number | string)[] } {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: invalid semantic version '${v}'`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [] };
}

export function compareVersions(a: string, b: string, type: string): number {
  if (type === 'semver' || type === 'semantic') {
    const x = semver(a);
    const y = semver(b);
    const c = cmpParts(x.core, y.core);
    if (c !== 0) return c;
    if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;
    return cmpParts(x.pre, y.pre);
  }
  if (type === 'strict') {
    const re = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/;
    for (const v of [a, b]) if (!re.test(v)) throw new TemplateError(`Version comparison failed: invalid version number '${v}'`);
    // StrictVersion: '1.0' == '1.0.0'; a pre-release sorts before the release.
    const parts = (v: string): (number | string)[] => {
      const m = re.exec(v)!;
      return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ?? 'z', Number(m[5] ?? 0)];
    };
    return cmpParts(parts(a), parts(b));
  }
  return cmpParts(looseParts(a), looseParts(b));
}
