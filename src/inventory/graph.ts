/**
 * The inventory's host/group graph with Ansible's rules: `all` is the root,
 * every parentless group hangs under `all`, hosts with no group land in
 * `ungrouped`, and a group's hosts include its descendants' (breadth first).
 */
import { ConfigError } from '../errors.js';

export interface GroupNode {
  readonly name: string;
  /** Hosts added directly to this group, in the order they were added. */
  readonly hosts: string[];
  readonly hostSet: Set<string>;
  readonly children: string[];
  readonly parents: string[];
  readonly vars: Record<string, unknown>;
  /** ansible_group_priority, only honoured from inventory sources (as Ansible does). */
  priority: number;
}

export interface HostNode {
  readonly name: string;
  readonly vars: Record<string, unknown>;
  /** Groups the host was added to directly. */
  readonly groups: string[];
}

export class InventoryGraph {
  /** Hosts in first-appearance order (Map keeps insertion order). */
  readonly hosts = new Map<string, HostNode>();
  readonly groups = new Map<string, GroupNode>();
  private depthCache: Map<string, number> | undefined;
  private groupHostsCache = new Map<string, string[]>();
  private hostGroupsCache = new Map<string, string[]>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): GroupNode {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: [], hostSet: new Set(), children: [], parents: [], vars: {}, priority: 1 };
      this.groups.set(name, g);
      this.invalidate();
    }
    return g;
  }

  addHost(name: string, group?: string): HostNode {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, groups: [] };
      this.hosts.set(name, h);
      this.invalidate();
    }
    if (group !== undefined) this.addHostToGroup(name, group);
    return h;
  }

  addHostToGroup(host: string, group: string): void {
    const g = this.addGroup(group);
    const h = this.addHost(host);
    if (g.hostSet.has(host)) return;
    g.hosts.push(host);
    g.hostSet.add(host);
    h.groups.push(group);
    this.invalidate();
  }

  removeHostFromGroup(host: string, group: string): void {
    const g = this.groups.get(group);
    const h = this.hosts.get(host);
    if (!g || !h || !g.hostSet.has(host)) return;
    g.hostSet.delete(host);
    g.hosts.splice(g.hosts.indexOf(host), 1);
    h.groups.splice(h.groups.indexOf(group), 1);
    this.invalidate();
  }

  addChild(parent: string, child: string): void {
    if (parent === child || this.ancestors(parent).includes(child)) {
      throw new ConfigError(`adding group '${child}' as child to '${parent}' creates a recursive dependency loop`);
    }
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    if (p.children.includes(child)) return;
    p.children.push(child);
    c.parents.push(parent);
    this.invalidate();
  }

  setGroupVar(group: string, key: string, value: unknown): void {
    const g = this.addGroup(group);
    // Like Ansible, the priority steers merge order and is not itself a variable.
    if (key === 'ansible_group_priority') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new ConfigError(`ansible_group_priority of group '${group}' must be a number, got ${JSON.stringify(value)}`);
      g.priority = Math.trunc(n);
      this.invalidate();
      return;
    }
    g.vars[key] = value;
  }

  setHostVar(host: string, key: string, value: unknown): void {
    this.addHost(host).vars[key] = value;
  }

  /** Ansible's reconcile_inventory: root every group under `all`, fix `ungrouped`. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    for (const h of this.hosts.values()) {
      const groups = this.groupsOfHost(h.name);
      const inUngrouped = h.groups.includes('ungrouped');
      const others = groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (inUngrouped && others.length > 0) this.removeHostFromGroup(h.name, 'ungrouped');
      else if (!inUngrouped && others.length === 0) this.addHostToGroup(h.name, 'ungrouped');
    }
  }

  /** All ancestors of a group, nearest first. */
  ancestors(group: string): string[] {
    const seen: string[] = [];
    const queue = [...(this.groups.get(group)?.parents ?? [])];
    while (queue.length > 0) {
      const g = queue.shift()!;
      if (seen.includes(g)) continue;
      seen.push(g);
      queue.push(...(this.groups.get(g)?.parents ?? []));
    }
    return seen;
  }

  /** Every group a host is in, directly or through `children`, including `all`. */
  groupsOfHost(host: string): string[] {
    const cached = this.hostGroupsCache.get(host);
    if (cached) return cached;
    const h = this.hosts.get(host);
    const out: string[] = [];
    for (const g of h?.groups ?? []) {
      for (const x of [g, ...this.ancestors(g)]) if (!out.includes(x)) out.push(x);
    }
    this.hostGroupsCache.set(host, out);
    return out;
  }

  /** A group's hosts including its descendants', breadth first (Ansible's Group.get_hosts). */
  hostsOfGroup(group: string): string[] {
    const cached = this.groupHostsCache.get(group);
    if (cached) return cached;
    const out: string[] = [];
    const seenHosts = new Set<string>();
    const seenGroups = new Set<string>([group]);
    let level = [group];
    while (level.length > 0) {
      const next: string[] = [];
      for (const name of level) {
        const g = this.groups.get(name);
        if (!g) continue;
        for (const h of g.hosts) {
          if (!seenHosts.has(h)) {
            seenHosts.add(h);
            out.push(h);
          }
        }
        for (const c of g.children) {
          if (!seenGroups.has(c)) {
            seenGroups.add(c);
            next.push(c);
          }
        }
      }
      level = next;
    }
    this.groupHostsCache.set(group, out);
    return out;
  }

  /** Distance from `all` along the longest parent chain (Ansible's group depth). */
  depth(group: string): number {
    if (!this.depthCache) this.depthCache = new Map();
    const known = this.depthCache.get(group);
    if (known !== undefined) return known;
    const g = this.groups.get(group);
    let d = 0;
    if (g && group !== 'all') {
      this.depthCache.set(group, 0); // guards against malformed cycles
      for (const p of g.parents) d = Math.max(d, this.depth(p) + 1);
    }
    this.depthCache.set(group, d);
    return d;
  }

  /** Ansible's sort_groups: by depth, then priority, then name. */
  sortGroups(names: string[]): string[] {
    return [...names].sort((a, b) => {
      const da = this.depth(a) - this.depth(b);
      if (da !== 0) return da;
      const pa = (this.groups.get(a)?.priority ?? 1) - (this.groups.get(b)?.priority ?? 1);
      if (pa !== 0) return pa;
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  private invalidate(): void {
    this.depthCache = undefined;
    this.groupHostsCache.clear();
    this.hostGroupsCache.clear();
  }
}
