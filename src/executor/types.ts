import type { EventSink, HostStats } from '../output/events.js';
import type { Inventory } from '../inventory/index.js';
import type { ConnectionDefaults } from '../connection/index.js';

export interface RunOptions {
  inventory: Inventory;
  checkMode: boolean;
  diffMode: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  extraVars: Record<string, unknown>;
  forks: number;
  startAtTask?: string;
  verbosity: number;
  sink: EventSink;
  /** Defaults for every host's connection (ansible.cfg / CLI), overridden by host vars. */
  connectionDefaults: ConnectionDefaults;
  becomePassword?: string;
  rolesPath?: string[];
  factCacheDir?: string;
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

export interface RunSummary {
  exitCode: number;
  stats: Record<string, HostStats>;
}

/** The play/block/task keywords that choose how a host is reached (`connection: local`, `remote_user: deploy`). */
export interface ConnectionKeywords {
  connection?: string;
  remoteUser?: string;
}
