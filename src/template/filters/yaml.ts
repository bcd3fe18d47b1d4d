/**
 * to_yaml / to_nice_yaml as Ansible runs them: yaml.dump with AnsibleDumper (PyYAML's
 * representer over libyaml's emitter). This file is the representer: Python-typed values to
 * nodes, YAML 1.1 implicit resolution (a string that would read back as another type is
 * quoted), sorted keys, flow style for scalar-only collections when default_flow_style is None.
 * The text itself is written by yaml-emitter.ts.
 */
import { TemplateError } from '../../errors.js';
import { PyFloat, floatRepr, isDict, num, plain, truthy } from '../pyvalue.js';
import { Undef } from '../undefined.js';
import { emitYaml, type YamlNode } from './yaml-emitter.js';
import { arg, splitArgs, type FilterFn } from './args.js';

export interface YamlOptions {
  indent: number;
  /** default_flow_style: null (flow for scalar-only collections), true (always flow), false (always block). */
  flow: boolean | null;
  sortKeys: boolean;
  /** folding column; negative: never fold */
  width: number;
  explicitStart: boolean;
  explicitEnd: boolean;
}

/** PyYAML's implicit resolvers (YAML 1.1): plain text matching one of them is not a string. */
const RESOLVES_TO_OTHER = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

/** PyYAML's represent_float: repr, lower-cased, with `.0` before a bare exponent. */
function floatText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const r = floatRepr(n).toLowerCase();
  return !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r;
}

/** Python's str ordering: by code point (JS's < compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

const typed = (value: string): YamlNode => ({ kind: 'scalar', value, plainImplicit: true });

/** Values to nodes; a list or dict met twice (the same object) is one node, as PyYAML represents it once. */
function representer(opts: YamlOptions): (v: unknown) => YamlNode {
  const nodes = new Map<object, YamlNode>();
  // the flow style PyYAML picks when default_flow_style is None: only for scalar-only collections
  const flowFor = (children: YamlNode[]): boolean => opts.flow ?? children.every((c) => c.kind === 'scalar');
  const represent = (vIn: unknown, depth: number): YamlNode => {
    const v = plain(vIn);
    if (v instanceof Undef) v.fail();
    if (depth > 100) throw new TemplateError('to_yaml: value nested too deeply');
    if (v === null || v === undefined) return typed('null');
    if (typeof v === 'boolean') return typed(v ? 'true' : 'false');
    if (v instanceof PyFloat) return typed(floatText(v.value));
    if (typeof v === 'number') return typed(Number.isInteger(v) ? String(v) : floatText(v));
    if (typeof v === 'bigint') return typed(String(v));
    if (typeof v === 'string') return { kind: 'scalar', value: v, plainImplicit: !RESOLVES_TO_OTHER.some((r) => r.test(v)) };
    const known = nodes.get(v);
    if (known) return known;
    if (Array.isArray(v)) {
      const node: YamlNode = { kind: 'seq', items: [], flow: false };
      nodes.set(v, node);
      node.items = v.map((x) => represent(x, depth + 1));
      node.flow = flowFor(node.items);
      return node;
    }
    if (isDict(v)) {
      const node: YamlNode = { kind: 'map', pairs: [], flow: false };
      nodes.set(v, node);
      const keys = opts.sortKeys ? Object.keys(v).sort(byCodePoint) : Object.keys(v);
      node.pairs = keys.map((k): [YamlNode, YamlNode] => [represent(k, depth + 1), represent(v[k], depth + 1)]);
      node.flow = flowFor(node.pairs.flat());
      return node;
    }
    // PyYAML's SafeRepresenter refuses what it has no representer for
    throw new TemplateError(`to_yaml: cannot represent an object: ${Object.prototype.toString.call(v)}`);
  };
  return (v) => represent(v, 0);
}

/**
 * PyYAML's serializer: a collection met a second time (the same object, shared in the value)
 * gets an anchor, numbered id001, id002 … in the order of those second meetings.
 */
function anchorsOf(root: YamlNode): Map<YamlNode, string> {
  const seen = new Set<YamlNode>();
  const anchors = new Map<YamlNode, string>();
  const visit = (n: YamlNode): void => {
    if (n.kind === 'scalar') return;
    if (seen.has(n)) {
      if (!anchors.has(n)) anchors.set(n, `id${String(anchors.size + 1).padStart(3, '0')}`);
      return;
    }
    seen.add(n);
    if (n.kind === 'seq') n.items.forEach(visit);
    else n.pairs.forEach(([k, v]) => {
      visit(k);
      visit(v);
    });
  };
  visit(root);
  return anchors;
}

export function pyYamlDump(value: unknown, opts: YamlOptions): string {
  const root = representer(opts)(value);
  return emitYaml(root, anchorsOf(root), opts);
}

/** yaml.dump's keywords kelpie implements; the others it has are refused, not ignored. */
const DUMP_KEYWORDS = ['indent', 'width', 'sort_keys', 'default_flow_style', 'explicit_start', 'explicit_end'];
const DUMP_KEYWORDS_NOT_IMPLEMENTED = ['default_style', 'canonical', 'line_break', 'encoding', 'version', 'tags'];

/** Ansible's AnsibleFilterError around yaml.dump's TypeError: its summary, then the exception's own text. */
function dumpError(filter: string, pyMessage: string): TemplateError {
  return new TemplateError(`${filter} - ${pyMessage}. ${pyMessage}`);
}

/** An integer argument as Cython converts it (a float is truncated, a bool is 0 or 1); None keeps the default. */
function intArg(filter: string, v: unknown, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  const n = num(v);
  if (typeof n !== 'number' || !Number.isFinite(n)) throw dumpError(filter, 'an integer is required');
  return Math.trunc(n);
}

/**
 * The filter: to_yaml(a, **kw) is yaml.dump(a, allow_unicode=True, default_flow_style=None, **kw);
 * to_nice_yaml(a, indent=4, **kw) passes indent=indent and default_flow_style=False. Extra
 * positional arguments are ignored, as Ansible's signatures swallow them.
 */
export function yamlDumpFilter(filter: 'to_yaml' | 'to_nice_yaml'): FilterFn {
  const nice = filter === 'to_nice_yaml';
  return (v, ...rest) => {
    const a = splitArgs(rest);
    for (const k of Object.keys(a.kw)) {
      if (k === 'allow_unicode' || (nice && k === 'default_flow_style')) throw dumpError(filter, `yaml.dump() got multiple values for keyword argument '${k}'`);
      if (DUMP_KEYWORDS_NOT_IMPLEMENTED.includes(k)) throw new TemplateError(`${filter}: kelpie does not implement yaml.dump's '${k}' argument`);
      if (!DUMP_KEYWORDS.includes(k)) throw dumpError(filter, `dump_all() got an unexpected keyword argument '${k}'`);
    }
    const flowArg = a.kw['default_flow_style'];
    return pyYamlDump(v, {
      indent: intArg(filter, nice ? arg(a, 0, 'indent', 4) : a.kw['indent'], 2),
      width: intArg(filter, a.kw['width'], 80),
      flow: nice ? false : flowArg === null || flowArg === undefined ? null : truthy(flowArg),
      sortKeys: truthy(a.kw['sort_keys'] ?? true),
      explicitStart: truthy(a.kw['explicit_start'] ?? false),
      explicitEnd: truthy(a.kw['explicit_end'] ?? false),
    });
  };
}
