/**
 * The text format of one fact family's output. A family's script prints
 *   - file contents through ONE `grep -H '' file...` (lines `path:content`), and
 *   - command outputs after marker lines `::name::`,
 * so a family costs one or two process spawns, never one per file or interface.
 */

export type Facts = Record<string, unknown>;

export interface FactFamily {
  /** Family name, also its section marker in the batched script. */
  name: string;
  /** Ansible gather_subset names that select this family ('min' ones always run). */
  subset: 'min' | 'hardware' | 'network' | 'virtual';
  /** Files whose contents the family reads; gathered for all families by ONE grep. */
  files?: readonly string[];
  /** Constant shell text for the commands the family runs; never interpolated values. */
  script: string;
  /** Pure: section text → partial facts. */
  parse(text: string): Facts;
}

export interface SectionParts {
  /** File path → content (trailing newline dropped). */
  files: Map<string, string>;
  /** Marker name → command output (trailing newline dropped). */
  subs: Map<string, string>;
}

const SUB = /^::([a-z0-9_-]+)::$/;

/** Splits a family section into file contents (`::files::` block) and marked outputs. */
export function splitSection(text: string): SectionParts {
  const files = new Map<string, string[]>();
  const subs = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const m = SUB.exec(line);
    if (m) {
      current = m[1]!;
      if (current !== 'files') subs.set(current, []);
      continue;
    }
    if (current === 'files') {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const path = line.slice(0, i);
      const list = files.get(path) ?? [];
      list.push(line.slice(i + 1));
      files.set(path, list);
    } else if (current !== undefined) subs.get(current)!.push(line);
  }
  const join = (m: Map<string, string[]>) => new Map([...m].map(([k, v]) => [k, v.join('\n').replace(/\n+$/, '')]));
  return { files: join(files), subs: join(subs) };
}

/** Shell text printing the given files as `path:line` (missing files are silent). */
export function filesScript(paths: readonly string[]): string {
  return `echo ::files::; grep -H '' ${paths.join(' ')} 2>/dev/null`;
}

/** KEY=value / KEY="value" files (os-release, lsb-release, selinux config, sysconfig). */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
    out[m[1]!] = v.replace(/\\(["$`\\])/g, '$1');
  }
  return out;
}

/** Marker between families in the batched script. */
export const FAMILY_MARK = '@@kelpie-facts@@';

/** A family's part of the batched script: its marker, then its commands (no `exit` in them). */
export function familyScript(f: FactFamily): string {
  return `echo '${FAMILY_MARK} ${f.name}'\n${f.script}`;
}

/** The family's own section text: its files' lines from the shared grep, then its output. */
export function familySection(f: FactFamily, fileLines: readonly string[], text: string | undefined): string {
  const mine = new Set(f.files ?? []);
  const lines = fileLines.filter((l) => mine.has(l.slice(0, l.indexOf(':'))));
  return `::files::\n${lines.join('\n')}\n${text ?? ''}`;
}

/** Splits the batched output into family name → section text. */
export function splitFamilies(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = stdout.split(`${FAMILY_MARK} `);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const name = (nl < 0 ? part : part.slice(0, nl)).trim();
    out.set(name, nl < 0 ? '' : part.slice(nl + 1));
  }
  return out;
}
