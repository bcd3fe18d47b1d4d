/** The loaded inventory: graph + vars files + patterns behind the Inventory interface. */
import { ConfigError, didYouMean } from '../errors.js';
import type { InventoryGraph } from './graph.js';
import { evaluatePatterns, expandLimit, isLocalhostName, splitPattern, type PatternSource } from './patterns.js';
import { renderGraph, renderListJson } from './render.js';
import type { Inventory } from './types.js';
import { VarsFileStore, type VarsKind } from './varsFiles.js';

export interface InventoryParts {
  graph: InventoryGraph;
  /** Directories whose group_vars/ and host_vars/ apply, in source order. */
  varsDirs: string[];
  /** The source each host first came from (Ansible's inventory_file). */
  hostSource: Map<string, string>;
  warnings: string[];
  implicitLocalhost: boolean;
}

export class LoadedInventory implements Inventory {
  readonly warnings: string[];
  private readonly graph: InventoryGraph;
  private readonly store = new VarsFileStore();
  private readonly groupVarsCache = new Map<string, Record<string, unknown>>();
  private readonly patternSource: PatternSource;

  constructor(private readonly parts: InventoryParts) {
    this.graph = parts.graph;
    this.warnings = parts.warnings;
    const graph = this.graph;
    this.patternSource = {
      hostNames: () => graph.hosts.keys(),
      hasHost: (n) => graph.hosts.has(n),
      groupNames: () => graph.groups.keys(),
      hostsOfGroup: (g) => graph.hostsOfGroup(g),
      implicitHost: (n) => this.isImplicit(n),
    };
  }

  hosts(): string[] {
    return [...this.graph.hostsOfGroup('all')];
  }

  groupNames(): string[] {
    return [...this.graph.groups.keys()];
  }

  hasHost(name: string): boolean {
    return this.graph.hosts.has(name);
  }

  groupsOf(host: string): string[] {
    return this.graph.groupsOfHost(host).filter((g) => g !== 'all').sort();
  }

  groupsMap(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const g of this.graph.groups.keys()) out[g] = [...this.graph.hostsOfGroup(g)];
    return out;
  }

  hostVars(host: string, playbookDir?: string): Record<string, unknown> {
    const node = this.graph.hosts.get(host);
    if (!node && !this.isImplicit(host)) {
      const hint = didYouMean(host, this.graph.hosts.keys());
      throw new ConfigError(`host '${host}' is not in the inventory`, hint ? { hint } : {});
    }
    const groups = node ? this.graph.sortGroups(this.graph.groupsOfHost(host).filter((g) => g !== 'all')) : [];
    const dirs = this.dirsFor(playbookDir);
    const source = this.parts.hostSource.get(host);
    const fromSource = source !== undefined ? { inventory_file: source, inventory_dir: dirOf(source) } : {};
    const hostInventory = node ? node.vars : { ansible_connection: 'local' };
    return {
      ...this.groupVars(groups, dirs),
      ...fromSource,
      ...hostInventory,
      ...this.filesVars(dirs, 'host_vars', [host]),
    };
  }

  select(pattern: string, limit?: string): string[] {
    if (!pattern.trim()) throw new ConfigError('empty host pattern', { hint: "use 'all' for every host" });
    const hosts = evaluatePatterns(splitPattern(pattern), this.patternSource, this.warnings);
    if (limit === undefined || limit === '') return hosts;
    const subset = new Set(evaluatePatterns(expandLimit(limit), this.patternSource, this.warnings));
    return hosts.filter((h) => subset.has(h));
  }

  addHost(name: string, groups: string[] = [], vars: Record<string, unknown> = {}): void {
    this.graph.addHost(name);
    for (const g of groups) this.graph.addHostToGroup(name, g);
    for (const [k, v] of Object.entries(vars)) this.graph.setHostVar(name, k, v);
    this.changed();
  }

  addGroup(name: string, parents: string[] = []): void {
    this.graph.addGroup(name);
    for (const p of parents) this.graph.addChild(p, name);
    this.changed();
  }

  addHostToGroup(host: string, group: string): void {
    this.graph.addHostToGroup(host, group);
    this.changed();
  }

  toListJson(playbookDir?: string): Record<string, unknown> {
    return renderListJson(this.graph, this.hosts(), (h) => this.hostVars(h, playbookDir));
  }

  toGraph(pattern = 'all'): string {
    if (!this.graph.groups.has(pattern)) {
      const hint = didYouMean(pattern, this.graph.groups.keys());
      throw new ConfigError(`'${pattern}' is not a group: --graph takes a group name`, hint ? { hint } : {});
    }
    return renderGraph(this.graph, pattern);
  }

  private isImplicit(name: string): boolean {
    return this.parts.implicitLocalhost && isLocalhostName(name) && !this.graph.hosts.has(name);
  }

  private dirsFor(playbookDir: string | undefined): string[] {
    return playbookDir === undefined ? this.parts.varsDirs : [...this.parts.varsDirs, playbookDir];
  }

  /** Everything below host level; hosts with the same groups share one merge. */
  private groupVars(sortedGroups: string[], dirs: string[]): Record<string, unknown> {
    const key = `${dirs.join('\0')}\u0001${sortedGroups.join('\0')}`;
    const hit = this.groupVarsCache.get(key);
    if (hit) return hit;
    let out: Record<string, unknown> = { ...(this.graph.groups.get('all')?.vars ?? {}) };
    for (const g of sortedGroups) out = { ...out, ...(this.graph.groups.get(g)?.vars ?? {}) };
    out = { ...out, ...this.filesVars(dirs, 'group_vars', ['all']) };
    out = { ...out, ...this.filesVars(dirs, 'group_vars', sortedGroups) };
    this.groupVarsCache.set(key, out);
    return out;
  }

  /** Vars files for entities from each directory in turn (inventory dirs, then the playbook's). */
  private filesVars(dirs: string[], kind: VarsKind, names: string[]): Record<string, unknown> {
    let out: Record<string, unknown> = {};
    for (const d of dirs) for (const n of names) out = { ...out, ...this.store.varsFor(d, kind, n) };
    return out;
  }

  private changed(): void {
    this.graph.reconcile();
    this.groupVarsCache.clear();
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}
