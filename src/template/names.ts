/**
 * Which filters and tests a template uses, and which of those no one has: neither kelpie
 * nor Ansible (its builtin plugins plus Jinja2's own). The loader refuses those with a
 * did-you-mean before any host is touched. A name Ansible has and kelpie lacks loads,
 * and fails its task when it runs (naming the filter).
 */
import nunjucks from 'nunjucks';
import { KelpieEnvironment, parseTemplate } from './engine.js';
import { registerFilters } from './filters/index.js';
import { BUILTIN_PREFIX, NAME_ARGUMENTS, nameCandidates, type NameCandidate } from './nameScan.js';
import { registerTests } from './tests.js';

/**
 * ansible-core 2.14's builtin filters (ansible/plugins/filter: core, encryption, mathstuff,
 * urls, urlsplit) and Jinja2 3.1's DEFAULT_FILTERS, listed from their plugin modules.
 */
const ANSIBLE_FILTERS = `b64decode b64encode basename bool checksum combinations combine comment dict2items difference
dirname expanduser expandvars extract fileglob flatten from_json from_yaml from_yaml_all hash human_readable
human_to_bytes intersect items2dict log mandatory md5 password_hash path_join permutations pow product quote random
realpath regex_escape regex_findall regex_replace regex_search rekey_on_member relpath root sha1 shuffle split splitext
strftime subelements symmetric_difference ternary to_datetime to_json to_nice_json to_nice_yaml to_uuid to_yaml
type_debug union unique unvault urldecode urlsplit vault win_basename win_dirname win_splitdrive zip zip_longest
abs attr batch capitalize center count d default dictsort e escape filesizeformat first float forceescape format
groupby indent int items join last length list lower map max min pprint random reject rejectattr replace reverse
round safe select selectattr slice sort string striptags sum title tojson trim truncate unique upper urlencode urlize
wordcount wordwrap xmlattr`.split(/\s+/);

/** ansible-core 2.14's builtin tests (ansible/plugins/test: core, files, mathstuff, uri) and Jinja2 3.1's DEFAULT_TESTS. */
const ANSIBLE_TESTS = `abs all any change changed contains directory exists failed failure falsy file finished is_abs
is_dir is_file is_link is_mount is_same_file isnan issubset issuperset link link_exists match mount nan reachable regex
same_file search skip skipped started subset succeeded success successful superset truthy unreachable uri url urn
vault_encrypted version version_compare
!= < <= == > >= boolean callable defined divisibleby eq equalto escaped even false filter float ge greaterthan gt in
integer iterable le lessthan lower lt mapping ne none number odd sameas sequence string test true undefined upper`.split(/\s+/);

export { BUILTIN_PREFIX };

export interface KnownNames {
  filters: ReadonlySet<string>;
  tests: ReadonlySet<string>;
}

let known: KnownNames | undefined;

/** Every filter and test name kelpie or Ansible has. */
export function knownNames(): KnownNames {
  if (!known) {
    const env = new KelpieEnvironment(null);
    registerFilters(env);
    registerTests(env);
    const own = env as unknown as { filters: Record<string, unknown>; tests: Record<string, unknown> };
    known = {
      filters: new Set([...Object.keys(own.filters), ...ANSIBLE_FILTERS]),
      tests: new Set([...Object.keys(own.tests), ...ANSIBLE_TESTS]),
    };
  }
  return known;
}

export interface UnknownName {
  kind: 'filter' | 'test';
  name: string;
}

interface AstNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  name?: AstNode;
  right?: AstNode;
  target?: AstNode;
  val?: AstNode;
  args?: { children: AstNode[] };
  findAll(type: unknown): AstNode[];
}

const nodes = (nunjucks as unknown as { nodes: { Filter: unknown; Is: unknown } }).nodes;

function symbolName(node: AstNode | undefined): string | undefined {
  if (node?.typename === 'Symbol' && typeof node.value === 'string') return node.value;
  if (node?.typename === 'FunCall') return symbolName(node.name);
  // `is ansible.builtin.success` parses as an attribute lookup
  if (node?.typename === 'LookupVal' && typeof node.val?.value === 'string') {
    const target = symbolName(node.target);
    return target === undefined ? undefined : `${target}.${node.val.value}`;
  }
  return undefined;
}

function isKnown(kind: 'filter' | 'test', bare: string): boolean {
  return (kind === 'filter' ? knownNames().filters : knownNames().tests).has(bare);
}

/** Whether the parse reports a name: an undotted or builtin-prefixed name no one has (collections are not known here). */
function isUnknown({ kind, name }: NameCandidate): boolean {
  return (!name.includes('.') || BUILTIN_PREFIX.test(name)) && !isKnown(kind, name.replace(BUILTIN_PREFIX, ''));
}

/** A name the scan vouches for: a known one (a collection's dotted name is left to the parse). */
function isVouched({ kind, name }: NameCandidate): boolean {
  const bare = name.replace(BUILTIN_PREFIX, '');
  return !bare.includes('.') && isKnown(kind, bare);
}

/**
 * Whether text needs nunjucks' parse to find its unknown names: not when the scan
 * (nameScan.ts, a superset of the names the parse could report) finds only vouched ones.
 */
export function needsParse(text: string, expression = false): boolean {
  return !(nameCandidates(text, expression)?.every(isVouched) ?? false);
}

/**
 * The filters and tests of a template (or, with `expression`, of a bare expression such as
 * a `when:`) that neither kelpie nor Ansible has, in the order written. Text that does not
 * parse yields none: its syntax error is reported where it renders.
 */
export function unknownNames(text: string, expression = false): UnknownName[] {
  // almost every template names only known filters and tests: skip the parse then (load time counts)
  return needsParse(text, expression) ? parsedUnknownNames(text, expression) : [];
}

/** unknownNames by nunjucks' parse alone (exported for the test that holds the scan to it). */
export function parsedUnknownNames(text: string, expression = false): UnknownName[] {
  let ast: AstNode;
  try {
    ast = parseTemplate(expression ? `{{ (${text}\n) }}` : text) as unknown as AstNode;
  } catch {
    return [];
  }
  const used: (UnknownName & { at: AstNode })[] = [];
  for (const f of ast.findAll(nodes.Filter)) {
    const name = symbolName(f.name);
    if (name === undefined) continue;
    used.push({ kind: 'filter', name, at: f });
    const named = NAME_ARGUMENTS[name.replace(BUILTIN_PREFIX, '')];
    const arg = named ? f.args?.children[named.at] : undefined;
    if (named && arg?.typename === 'Literal' && typeof arg.value === 'string') used.push({ kind: named.kind, name: arg.value, at: arg });
  }
  for (const t of ast.findAll(nodes.Is)) {
    const name = symbolName(t.right);
    if (name !== undefined) used.push({ kind: 'test', name, at: t });
  }
  return used
    .filter(isUnknown)
    .sort((a, b) => a.at.lineno - b.at.lineno || a.at.colno - b.at.colno)
    .map(({ kind, name }) => ({ kind, name }));
}
