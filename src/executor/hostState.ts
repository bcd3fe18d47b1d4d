import type { Connection } from '../connection/types.js';
import { asUnsafe, markUnsafe } from '../template/index.js';
import { emptyStats, type HostStats } from '../output/events.js';

/** Everything kelpie knows about one host during a run. */
export class HostState {
  /** Inventory variables (group/host vars, group_vars/host_vars files), per play dir. */
  inventoryVars: Record<string, unknown> = {};
  /** Gathered facts (ansible_facts), without the ansible_ prefix. */
  facts: Record<string, unknown> = {};
  factsGathered = false;
  /** set_fact and register results: above play and task vars, below extra vars. */
  hostFacts: Record<string, unknown> = {};
  /** include_vars: just below set_fact and register, as Ansible's vars cache is below its fact cache. */
  includedVars: Record<string, unknown> = {};
  /** Handler ids notified and not yet run. */
  readonly notified = new Set<string>();
  failed = false;
  unreachable = false;
  /** Tasks that reported a change in check mode so far: later plans may see a stale host. */
  checkChanges = 0;
  /** Packages that tasks of this check run would have installed (Plan.installs). */
  readonly checkInstalls: string[] = [];
  /** meta: end_host / end_batch: out of the current play only. */
  endedPlay = false;
  /**
   * A failure inside a block that a rescue section will handle; 'uncounted' when the
   * recap counted it as failed already and will not count it as rescued (a missing include file).
   */
  pendingRescue: boolean | 'uncounted' = false;
  readonly stats: HostStats = emptyStats();
  conn: Connection | undefined;
  connecting: Promise<Connection> | undefined;
  private factVarCache: Record<string, unknown> | undefined;
  /** Facts whose variable is their bare name (`z`), not `ansible_z`: those set_fact's cacheable stored. */
  private readonly bareNamedFacts = new Set<string>();

  constructor(readonly name: string) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.endedPlay;
  }

  setFacts(f: Record<string, unknown>): void {
    Object.assign(this.facts, f);
    // facts are data from the host: strings inside are never rendered as templates
    for (const v of Object.values(f)) if (v && typeof v === 'object') markUnsafe(v);
    for (const k of Object.keys(f)) this.bareNamedFacts.delete(k);
    this.factVarCache = undefined;
  }

  /**
   * set_fact with cacheable: Ansible stores the variables in its fact cache under the names
   * given, so `z` is the variable `z` and `ansible_facts.z`, and `ansible_y` is the variable
   * `ansible_y` and `ansible_facts.y`.
   */
  setNamedFacts(f: Record<string, unknown>): void {
    const bare = Object.fromEntries(Object.entries(f).map(([k, v]) => [k.startsWith('ansible_') ? k.slice('ansible_'.length) : k, v]));
    this.setFacts(bare);
    for (const k of Object.keys(f)) if (!k.startsWith('ansible_')) this.bareNamedFacts.add(k);
  }

  clearFacts(): void {
    this.bareNamedFacts.clear();
    this.facts = {};
    this.factsGathered = false;
    this.factVarCache = undefined;
  }

  /** Facts as variables: `ansible_facts` plus every fact as `ansible_<name>` (Ansible's inject_facts_as_vars). */
  factVars(): Record<string, unknown> {
    if (!this.factVarCache) {
      // facts are host data: as variables they keep the unsafe mark (strings boxed)
      const v: Record<string, unknown> = { ansible_facts: markUnsafe(this.facts) };
      for (const [k, val] of Object.entries(this.facts)) v[k.startsWith('ansible_') || this.bareNamedFacts.has(k) ? k : `ansible_${k}`] = asUnsafe(val);
      this.factVarCache = v;
    }
    return this.factVarCache;
  }
}
