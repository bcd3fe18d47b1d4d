import type { EventSink, HostStats } from '../output/events.js';
import type { Inventory } from '../inventory/index.js';
import type { ConnectionDefaults } from '../connection/index.js';

/** How a run goes: everything the executor needs except where its events go. */
export interface RunSettings {
  /** The hosts and groups plays select from (loadInventory()). */
  inventory: Inventory;
  /** --check: plan every task, change nothing. */
  checkMode: boolean;
  /** --diff: results carry the diffs of what changed (or would change). */
  diffMode: boolean;
  /** --limit: a host pattern every play's hosts are narrowed to. */
  limit?: string;
  /** --tags: only tasks with one of these tags run (plus `always`). */
  tags?: string[];
  /** --skip-tags: tasks with one of these tags do not run. */
  skipTags?: string[];
  /** -e: variables of the highest precedence. */
  extraVars: Record<string, unknown>;
  /** How many hosts work at the same time. */
  forks: number;
  /** --start-at-task: tasks before the first one of this name are skipped. */
  startAtTask?: string;
  /** -v count: 3 and more adds commands and stack traces to the events. */
  verbosity: number;
  /** Defaults for every host's connection (ansible.cfg / CLI), overridden by host vars. */
  connectionDefaults: ConnectionDefaults;
  /** The password become (sudo/su) answers with, where the host vars give none. */
  becomePassword?: string;
  /** Role directories searched after <playbook dir>/roles (ansible.cfg roles_path). */
  rolesPath?: string[];
  /** A directory where gathered facts are kept between runs (one JSON file per host). */
  factCacheDir?: string;
  /** How old cached facts may be before they are gathered again (default one day). */
  factCacheMaxAgeSec?: number;
  /** How often a task still running says which hosts it waits for (default 30 000; 0: never). */
  progressIntervalMs?: number;
  /** Aborted (reason: the signal's name) on the first SIGINT/SIGTERM: the run stops, cleans up and reports. */
  interrupt?: AbortSignal;
  /** The drift gate: exit 3 when a task changed (in check mode: would change), if nothing failed. */
  exitChanged?: boolean;
  /** Hosts no play may select (those of the other shards of a --shard run). */
  excludedHosts?: ReadonlySet<string>;
}

/** A run's settings and the one sink every event goes to. */
export interface RunOptions extends RunSettings {
  sink: EventSink;
}

export interface RunSummary {
  exitCode: number;
  stats: Record<string, HostStats>;
}

/** The play/block/task keywords that choose how a host is reached (`connection: local`, `remote_user: deploy`). */
export interface ConnectionKeywords {
  connection?: string;
  remoteUser?: string;
}
