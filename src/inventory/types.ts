/** The inventory as the rest of kelpie sees it. */
export interface Inventory {
  /** All host names in inventory order (Ansible's order for the `all` pattern). */
  hosts(): string[];
  groupNames(): string[];
  hasHost(name: string): boolean;
  /** Ansible's group_names: every group the host is in, parents included, sorted, without 'all'. */
  groupsOf(host: string): string[];
  /** Ansible's `groups` magic var: group -> hosts (descendants included); has `all` and `ungrouped`. */
  groupsMap(): Record<string, string[]>;
  /**
   * A host's merged variables, in Ansible's order: inventory `all` vars < other groups'
   * inventory vars (by depth, ansible_group_priority, name) < group_vars/all (inventory dir,
   * then playbook dir) < group_vars/<group> (inventory dir, then playbook dir) < inventory
   * host vars < host_vars/ (inventory dir, then playbook dir).
   */
  hostVars(host: string, playbookDir?: string): Record<string, unknown>;
  /** Hosts matching a pattern, narrowed by an optional --limit (which may use @file). */
  select(pattern: string, limit?: string): string[];
  addHost(name: string, groups?: string[], vars?: Record<string, unknown>): void;
  addGroup(name: string, parents?: string[]): void;
  addHostToGroup(host: string, group: string): void;
  /** `ansible-inventory --list` shape (keys sorted, `_meta.hostvars`). */
  toListJson(playbookDir?: string): Record<string, unknown>;
  /** `ansible-inventory --graph [GROUP]`. */
  toGraph(pattern?: string): string;
  readonly warnings: string[];
}

export interface LoadOptions {
  /** Resolve `localhost` to an implicit local host when the inventory lacks it (default true). */
  defaultLocalhost?: boolean;
}
