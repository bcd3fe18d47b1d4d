/** YAML inventories (`all: {hosts, vars, children}`), with file:line:col on every mistake. */
import { isAlias, isMap, isScalar, isSeq, LineCounter, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { parseYaml11Document, yamlErrorText } from '../yaml11.js';
import { ConfigError, didYouMean, type SourceLocation } from '../errors.js';
import type { InventoryGraph } from './graph.js';
import { parseHostEntry } from './hostRange.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

/** Parse YAML as Ansible does (src/yaml11.ts); syntax errors carry positions. */
export function parseYamlDocument(text: string, file: string): { doc: Document; where: (n: unknown) => SourceLocation } {
  const lc = new LineCounter();
  const doc = parseYaml11Document(text, { lineCounter: lc, uniqueKeys: false, file });
  const first = doc.errors[0];
  if (first) {
    const pos = lc.linePos(unclosedQuoteStart(doc, first.code, first.pos[0]) ?? first.pos[0]);
    if (first.code === 'TAG_RESOLVE_FAILED') throw new ConfigError(yamlErrorText(first), { loc: { file, line: pos.line, col: pos.col } });
    const msg = first.message.split('\n')[0] ?? first.message;
    throw new ConfigError(`YAML syntax error: ${msg}`, { loc: { file, line: pos.line, col: pos.col }, hint: 'check indentation and quoting' });
  }
  const where = (n: unknown): SourceLocation => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    const p = lc.linePos(range?.[0] ?? 0);
    return { file, line: p.line, col: p.col };
  };
  return { doc, where };
}

/** yaml reports an unclosed quote at the end of the file; the opening quote is the useful place. */
function unclosedQuoteStart(doc: Document, code: string, at: number): number | undefined {
  if (code !== 'MISSING_CHAR') return undefined;
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, n) {
      const r = n.range;
      if ((n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && r && r[0] < at && r[1] >= at) start = r[0];
    },
  });
  return start;
}

/** True when the text parses as a YAML mapping whose values are all mappings or empty (a YAML inventory). */
export function looksLikeYamlInventory(text: string): boolean {
  const doc = parseYaml11Document(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return false;
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return true;
  if (!isMap(root)) return false;
  return root.items.every((p) => p.value === null || isMap(p.value) || (isScalar(p.value) && p.value.value === null));
}

export function loadYamlInventory(text: string, file: string, graph: InventoryGraph, warnings: string[]): void {
  const { doc, where } = parseYamlDocument(text, file);
  const deref = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  const isEmpty = (n: unknown): boolean => n === null || n === undefined || (isScalar(n) && (n.value === null || n.value === undefined));
  const keyOf = (n: unknown): string => (isScalar(n) ? String(n.value) : String(n));
  const kind = (n: unknown): string => (isSeq(n) ? 'a list' : isMap(n) ? 'a mapping' : isScalar(n) ? `the ${typeof n.value} ${JSON.stringify(n.value)}` : 'something else');

  const root = deref(doc.contents);
  if (isEmpty(root)) {
    warnings.push(`${file}: inventory is empty`);
    return;
  }
  if (!isMap(root)) {
    throw new ConfigError(`inventory must be a mapping of group names (such as 'all:'), found ${kind(root)}`, { loc: where(root) });
  }

  const parseGroup = (name: string, valueNode: unknown, keyNode: unknown, topLevel: boolean): void => {
    const value = deref(valueNode);
    if (isEmpty(value)) {
      graph.addGroup(name);
      return;
    }
    if (topLevel && GROUP_KEYS.includes(name)) {
      throw new ConfigError(`top-level key '${name}' is read as a group name`, { loc: where(keyNode), hint: `'${name}:' belongs inside a group: nest it under 'all:'` });
    }
    if (!isMap(value)) {
      const hint = name.startsWith('ansible_') || !topLevel ? `to set a variable, put it under 'vars:'` : 'a group is a mapping with hosts, vars and children';
      throw new ConfigError(`group '${name}' must be a mapping, found ${kind(value)}`, { loc: where(keyNode), hint });
    }
    graph.addGroup(name);
    for (const pair of (value as YAMLMap<unknown, unknown>).items) {
      const key = keyOf(pair.key);
      const section = deref(pair.value);
      if (key === 'vars') parseVars(name, section, pair.key);
      else if (key === 'hosts') parseHosts(name, section);
      else if (key === 'children') parseChildren(name, section);
      else {
        const guess = didYouMean(key, GROUP_KEYS);
        throw new ConfigError(`group '${name}' has an unexpected key '${key}': only hosts, vars and children are valid`, {
          loc: where(pair.key),
          hint: guess ?? (isMap(section) ? `to make '${key}' a child group, put it under 'children:'` : `to set a variable, put it under 'vars:'`),
        });
      }
    }
  };

  const parseVars = (group: string, node: unknown, keyNode: unknown): void => {
    if (isEmpty(node)) return;
    if (!isMap(node)) throw new ConfigError(`'vars' of group '${group}' must be a mapping, found ${kind(node)}`, { loc: where(node ?? keyNode), hint: 'write one `name: value` per line' });
    for (const p of node.items) graph.setGroupVar(group, keyOf(p.key), toJs(p.value));
  };

  const toJs = (n: unknown): unknown => (n && typeof n === 'object' && 'toJS' in n ? (n as Node).toJS(doc) : n ?? null);

  const parseHosts = (group: string, node: unknown): void => {
    if (isEmpty(node)) return;
    if (isScalar(node)) return addHost(group, String(node.value), null, node);
    if (!isMap(node)) {
      throw new ConfigError(`'hosts' of group '${group}' must be a mapping, found ${kind(node)}`, {
        loc: where(node),
        hint: 'write each host as a key ending in a colon (`web1:`), with its variables nested under it',
      });
    }
    for (const p of node.items) addHost(group, keyOf(p.key), deref(p.value), p.key);
  };

  const addHost = (group: string, entry: string, varsNode: unknown, keyNode: unknown): void => {
    let parsed: ReturnType<typeof parseHostEntry>;
    try {
      parsed = parseHostEntry(entry);
    } catch (e) {
      throw new ConfigError((e as Error).message, { loc: where(keyNode) });
    }
    if (!isEmpty(varsNode) && !isMap(varsNode)) {
      throw new ConfigError(`host '${entry}' in group '${group}' must map to its variables or nothing, found ${kind(varsNode)}`, {
        loc: where(varsNode),
        hint: `to set its address write '${entry}: {ansible_host: ...}'`,
      });
    }
    for (const h of parsed.hosts) {
      graph.addHost(h, group);
      if (parsed.port !== undefined) graph.setHostVar(h, 'ansible_port', parsed.port);
      if (isMap(varsNode)) for (const p of varsNode.items) graph.setHostVar(h, keyOf(p.key), toJs(p.value));
    }
  };

  const parseChildren = (group: string, node: unknown): void => {
    if (isEmpty(node)) return;
    if (isScalar(node)) {
      graph.addChild(group, String(node.value));
      return;
    }
    if (!isMap(node)) {
      throw new ConfigError(`'children' of group '${group}' must be a mapping, found ${kind(node)}`, {
        loc: where(node),
        hint: 'write each child group as a key ending in a colon (`web:`)',
      });
    }
    for (const p of node.items) {
      const child = keyOf(p.key);
      parseGroup(child, p.value, p.key, false);
      try {
        graph.addChild(group, child);
      } catch (e) {
        throw e instanceof ConfigError ? e.at(where(p.key)) : e;
      }
    }
  };

  for (const pair of root.items) parseGroup(keyOf(pair.key), pair.value, pair.key, true);
}
