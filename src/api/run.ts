/**
 * kelpie as a library: run() runs playbooks and hands back what happens as a stream of
 * events, the same stream the CLI's terminal output and report files are drawn from.
 */
import type { RunSettings } from '../executor/types.js';

export type { RunSettings };
import { Runner } from '../executor/runner.js';
import { loadInventory, type Inventory } from '../inventory/index.js';
import { loadModules } from '../modules/index.js';
import type { RunEvent } from '../output/events.js';
import { loadPlaybook, type Playbook } from '../playbook/index.js';
import { EventQueue } from './eventQueue.js';

/** Where hosts come from: inventory sources as the CLI's -i takes them, or a loaded Inventory. */
export type InventoryInput = Inventory | string | readonly string[];

/**
 * What run() takes. Every setting but `playbooks` has the CLI's default: no check or diff
 * mode, 50 forks, host keys verified against known_hosts, inventory `localhost,`.
 */
export interface RunOptions extends Partial<Omit<RunSettings, 'inventory'>> {
  /** Playbook files, or playbooks loaded with loadPlaybook(); they run in this order. */
  playbooks: readonly (string | Playbook)[];
  /** Inventory files, directories or `host1,host2,` lists, or an Inventory from loadInventory(). */
  inventory?: InventoryInput;
}

/** Loads inventory sources (or passes a loaded Inventory through); its warnings go to `warn`. */
export async function inventoryOf(input: InventoryInput | undefined, warn: (message: string) => void = () => undefined): Promise<Inventory> {
  if (input !== undefined && typeof input !== 'string' && !Array.isArray(input)) return input as Inventory;
  const sources = input === undefined ? ['localhost,'] : typeof input === 'string' ? [input] : [...(input as readonly string[])];
  const inventory = await loadInventory(sources);
  for (const w of inventory.warnings) warn(w);
  return inventory;
}

/**
 * Runs playbooks against an inventory and yields every event as it happens: `run_start`
 * (then the warnings of loading), per playbook `playbook_start`, then per play
 * `play_start`, each task's `task_start` (handlers too: `task.isHandler`), each host's
 * `host_result` the moment that host finishes (`item_result` per loop item before it,
 * `handler_notified` after it for each handler a changed task made due on the host),
 * `task_end`, `play_end`; `warning` and `debug` whenever they arise; at the end `recap` (the
 * PLAY RECAP's counts) and `playbook_end` with ansible-playbook's exit code.
 *
 * Each `for await` over the result starts one run. Leaving the loop early stops the run as
 * Ctrl-C does (commands in flight are killed, temp files removed, connections closed) and
 * returns once it has stopped. A playbook or inventory that cannot be loaded, or a play
 * whose host pattern cannot be parsed, makes the iteration throw a KelpieError that says
 * where (file:line:col); a host that fails or cannot be reached is an event, never a throw.
 */
export function run(options: RunOptions): AsyncIterable<RunEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
      const queue = new EventQueue<RunEvent>();
      const stop = new AbortController();
      const interrupt = options.interrupt ? AbortSignal.any([options.interrupt, stop.signal]) : stop.signal;
      // run_start is the first event: warnings of loading the inventory and playbooks wait
      // for it, or for the error that ends the run before it starts
      const waiting: RunEvent[] = [];
      let started = false;
      const flush = (): void => {
        for (const e of waiting.splice(0)) queue.push(e);
      };
      const push = (e: RunEvent): void => {
        if (!started && e.type !== 'run_start') return void waiting.push(e);
        started = true;
        queue.push(e);
        if (e.type === 'run_start') flush();
      };
      const warn = (message: string): void => push({ type: 'warning', message });
      const done = (async () => {
        loadModules();
        const { playbooks: given, inventory: source, ...settings } = options;
        const inventory = await inventoryOf(source, warn);
        const extraVars = { ...(settings.extraVars ?? {}) };
        const playbooks: Playbook[] = [];
        for (const p of given) {
          if (typeof p !== 'string') {
            playbooks.push(p);
            continue;
          }
          const pb = await loadPlaybook(p, { ...(settings.rolesPath ? { rolesPath: settings.rolesPath } : {}), extraVars });
          for (const w of pb.warnings ?? []) warn(`${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.col}: ` : ''}${w.message}`);
          playbooks.push(pb);
        }
        const runner = new Runner({
          checkMode: false,
          diffMode: false,
          forks: 50,
          verbosity: 0,
          connectionDefaults: {},
          ...settings,
          extraVars,
          inventory,
          interrupt,
          sink: push,
        });
        await runner.run(playbooks);
      })();
      done.then(
        () => queue.end(),
        (e: unknown) => {
          flush();
          queue.fail(e);
        },
      );
      return {
        next: () => queue.next(),
        return: async () => {
          // the reader stopped: the run ends as on Ctrl-C, and this returns once it has
          stop.abort('SIGINT');
          await done.catch(() => undefined);
          queue.end();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
