/** `ansible-inventory --list` and `--graph` output. */
import type { InventoryGraph } from './graph.js';

/** Variables Ansible keeps out of --list output. */
const INTERNAL_VARS = new Set(['inventory_file', 'inventory_dir']);

export function renderListJson(
  graph: InventoryGraph,
  hosts: string[],
  varsOf: (host: string) => Record<string, unknown>,
): Record<string, unknown> {
  const available = new Set(hosts);
  const results: Record<string, unknown> = {};
  const seen = new Set<string>();
  const formatGroup = (name: string): void => {
    const g = graph.groups.get(name);
    if (!g) return;
    const entry: Record<string, unknown> = {};
    const groupHosts = name === 'all' ? [] : g.hosts.filter((h) => available.has(h));
    if (groupHosts.length > 0) entry['hosts'] = groupHosts;
    if (g.children.length > 0) entry['children'] = [...g.children];
    for (const c of g.children) {
      if (!seen.has(c)) {
        seen.add(c);
        formatGroup(c);
      }
    }
    if (Object.keys(entry).length > 0) results[name] = entry;
  };
  formatGroup('all');
  const hostvars: Record<string, unknown> = {};
  for (const h of hosts) {
    const vars = Object.fromEntries(Object.entries(varsOf(h)).filter(([k]) => !INTERNAL_VARS.has(k)));
    if (Object.keys(vars).length > 0) hostvars[h] = vars;
  }
  results['_meta'] = { hostvars };
  return sortKeys(results) as Record<string, unknown>;
}

/** Ansible dumps --list JSON with sorted keys; arrays keep their order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortKeys(obj[k])]),
    );
  }
  return value;
}

export function renderGraph(graph: InventoryGraph, root: string): string {
  const lines: string[] = [];
  const label = (text: string, depth: number): string => (depth > 0 ? '  |'.repeat(depth) + '--' + text : text);
  const walk = (name: string, depth: number, path: Set<string>): void => {
    const g = graph.groups.get(name);
    if (!g) return;
    lines.push(label(`@${name}:`, depth));
    for (const c of g.children) if (!path.has(c)) walk(c, depth + 1, new Set([...path, c]));
    if (name !== 'all') for (const h of g.hosts) lines.push(label(h, depth + 1));
  };
  walk(root, 0, new Set([root]));
  return lines.join('\n') + '\n';
}
