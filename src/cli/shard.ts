/**
 * `--shard k/n`: one of n CI jobs runs the k-th share of the hosts. The split is a function of
 * the host names alone: every host that `all` and --limit select, sorted by name, goes to
 * shard (position mod n) + 1. So it is the same in every run and every play of a run, no host
 * is in two shards, and shards differ in size by at most one host. serial batches are cut
 * within a shard. Hosts that add_host creates during the run stay in the shard that made them.
 */
import type { Inventory } from '../inventory/index.js';
import { UsageError } from './parser.js';

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be k/n with 1 <= k <= n, got '${v}'`, 'e.g. --shard 2/4');
  return { index, count };
}

/** The hosts of this shard, in name order. */
export function shardHosts(names: readonly string[], shard: Shard): string[] {
  return [...new Set(names)].sort().filter((_, i) => i % shard.count === shard.index - 1);
}

/** The inventory's hosts that belong to the other shards. */
export function shardExclusions(inventory: Inventory, limit: string | undefined, shard: Shard): Set<string> {
  const all = inventory.select('all', limit);
  const mine = new Set(shardHosts(all, shard));
  return new Set(all.filter((h) => !mine.has(h)));
}
