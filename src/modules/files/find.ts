/** find: list files by name, type, age, size and content; one `find … -exec stat` probe per path. */
import { sh } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { compilePyRegex, PyRegexError } from '../_lib/pyregex.js';
import { parseProbe, type PathInfo } from '../_lib/probe.js';
import { statResult } from './stat.js';
import { ageMatches, matchesName, parseAge, parseSize, sizeMatches, typeMatches } from './findFilter.js';

const args = {
  paths: { type: 'list', elements: 'path', required: true, aliases: ['name', 'path'] },
  patterns: { type: 'list', elements: 'str', default: [], aliases: ['pattern'] },
  excludes: { type: 'list', elements: 'str', aliases: ['exclude'] },
  contains: { type: 'str' },
  read_whole_file: { type: 'bool', default: false },
  file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'] },
  age: { type: 'str' },
  age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'] },
  size: { type: 'str' },
  recurse: { type: 'bool', default: false },
  hidden: { type: 'bool', default: false },
  follow: { type: 'bool', default: false },
  get_checksum: { type: 'bool', default: false },
  use_regex: { type: 'bool', default: false },
  depth: { type: 'int' },
} as const;

// Same fields as probe.ts's stat format, with the path last so it may hold spaces.
const FMT = '%f %u %g %s %X %Y %Z %i %d %h %U %G %n';

function parseLine(line: string): PathInfo | null {
  const parts = line.split(' ');
  if (parts.length < 13) return null;
  const path = parts.slice(12).join(' ');
  return parseProbe(path, `${parts.slice(0, 10).join(' ')}\n${parts[10]}\n${parts[11]}`);
}

const NOT_A_DIRECTORY = 111;

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/**
 * The order Python's os.walk gives Ansible's find: a directory's files, then its
 * subdirectories, then each subdirectory's own walk; `find` itself descends into a
 * subdirectory as soon as it meets it. Both read each directory in readdir order.
 */
function walkOrder(root: string, found: PathInfo[]): PathInfo[] {
  const children = new Map<string, PathInfo[]>();
  for (const info of found) {
    const parent = parentOf(info.path);
    children.set(parent, [...(children.get(parent) ?? []), info]);
  }
  const out: PathInfo[] = [];
  const walk = (dir: string): void => {
    const entries = children.get(dir) ?? [];
    const dirs = entries.filter((e) => e.type === 'directory');
    out.push(...entries.filter((e) => e.type !== 'directory'), ...dirs);
    for (const d of dirs) walk(d.path);
  };
  walk(root.replace(/\/+$/, '') || '/');
  return out.length === found.length ? out : found;
}

export default defineModule({
  name: 'find',
  args,
  check(a) {
    if (a.age !== undefined && parseAge(a.age) === undefined) return 'failed to process age';
    if (a.size !== undefined && parseSize(a.size) === undefined) return 'failed to process size';
    return undefined;
  },
  async plan(ctx, a) {
    const age = a.age !== undefined ? parseAge(a.age) : undefined;
    const size = a.size !== undefined ? parseSize(a.size) : undefined;
    // compiled when first used, as Ansible's find compiles it for each file that gets that far
    let contains: RegExp | undefined;
    const now = Date.now() / 1000;
    const files: Record<string, unknown>[] = [];
    const skipped: Record<string, string> = {};
    const warnings: string[] = [];
    const skip = (root: string, why: string): void => {
      skipped[root] = why;
      // Ansible's module warning, word for word (its trailing newline included)
      warnings.push(`Skipped '${root}' path due to this access issue: ${why}\n`);
      ctx.log.warn(warnings[warnings.length - 1]!.trimEnd());
    };
    // Ansible's filters in its order; `contains` only for file_type file
    const matches = async (info: PathInfo): Promise<boolean> => {
      const name = info.path.slice(info.path.lastIndexOf('/') + 1);
      if (!a.hidden && name.startsWith('.')) return false;
      if (!typeMatches(info, a.file_type)) return false;
      if (!matchesName(name, a.patterns, a.use_regex)) return false;
      if (a.excludes?.length && matchesName(name, a.excludes, a.use_regex)) return false;
      if (age !== undefined && !ageMatches(info[a.age_stamp as 'mtime'], age, now)) return false;
      if (size !== undefined && info.type === 'file' && !sizeMatches(info.size, size)) return false;
      if (a.contains === undefined || a.file_type !== 'file') return true;
      contains ??= compilePyRegex(a.contains);
      const text = (await ctx.readFile(info.path))?.toString('latin1') ?? '';
      // Ansible matches line by line from the start of each line, or searches the whole file.
      return a.read_whole_file ? contains.test(text) : text.split(/(?<=\n)/).some((l) => contains!.exec(l)?.index === 0);
    };
    let examined = 0;
    for (const root of a.paths) {
      const maxDepth = a.recurse ? a.depth : 1;
      const depthArgs = maxDepth !== undefined ? sh`-maxdepth ${maxDepth}` : sh``;
      const follow = a.follow ? sh`-L ` : sh``;
      const r = await ctx.probe(sh`[ -d ${root} ] || exit ${NOT_A_DIRECTORY}; find ${follow}${root} -mindepth 1 ${depthArgs} -exec stat -c ${FMT} {} +`);
      if (r.rc === NOT_A_DIRECTORY || (r.rc !== 0 && !r.stdout)) {
        skip(root, r.rc === NOT_A_DIRECTORY ? `'${root}' is not a directory` : r.stderr.trim());
        continue;
      }
      const found = r.stdout.split('\n').map((line) => (line ? parseLine(line) : null)).filter((x): x is PathInfo => x !== null);
      const ordered = walkOrder(root, found);
      for (const [i, info] of ordered.entries()) {
        examined++;
        try {
          if (!(await matches(info))) continue;
        } catch (e) {
          if (!(e instanceof PyRegexError)) throw e;
          // Python's re raised: Ansible's find gives up this path, having counted the whole directory it was in
          const dir = parentOf(info.path);
          examined += ordered.slice(i + 1).filter((o) => parentOf(o.path) === dir).length;
          skip(root, e.why);
          break;
        }
        // Ansible's find reports stat's fields without `exists`
        const { exists: _exists, ...fields } = statResult(info, info.path);
        files.push(fields);
      }
    }
    const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
    return { kind: 'ok', msg, result: { files, matched: files.length, examined, msg, skipped_paths: skipped, ...(warnings.length ? { warnings } : {}) } };
  },
});
