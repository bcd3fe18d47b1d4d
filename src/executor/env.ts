/**
 * The two small environments the executor's parts work in, so none reaches into another's
 * class: RunEnv is what a play may ask of the whole run (Runner implements it), PlayEnv is
 * what the strategy, the handlers and the include/meta actions may ask of the play
 * (PlayRun implements it), as TaskEnv is what one task on one host may ask.
 */
import type { Connection } from '../connection/types.js';
import type { EventSink, TaskHostResult, TaskRef } from '../output/events.js';
import type { Node, Play, TaskNode } from '../playbook/model.js';
import type { Templar } from '../template/index.js';
import type { FetchedFiles } from './hostData.js';
import type { HostState } from './hostState.js';
import type { Inherited } from './inherit.js';
import type { HostRun, TaskEnv } from './task.js';
import type { ConnectionKeywords, RunOptions } from './types.js';

export interface RunEnv {
  readonly templar: Templar;
  readonly opts: RunOptions;
  readonly emit: EventSink;
  /** Controller paths fetch wrote in this run (include_vars treats them as host data). */
  readonly fetchedFiles: FetchedFiles;
  /** The signal that interrupted the run (SIGINT/SIGTERM): from then on no task starts. */
  readonly interruptedBy: string | undefined;
  /** The run's state of a host, made on first use. */
  host(name: string): HostState;
  /** Records the hosts a play selected (the recap names those never attempted). */
  selectedForPlay(names: readonly string[]): void;
  /** --start-at-task: false until a task of that name is reached. */
  startedAt(task: TaskNode): boolean;
  /** add_host/group_by changed the inventory: `groups` and `group_names` are rebuilt. */
  inventoryChanged(): void;
  /** The magic variables of a host (inventory_hostname, groups, hostvars…) with the play's own. */
  magicVars(h: HostState, play: Record<string, unknown>): Record<string, unknown>;
  connectionFor(name: string, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Connection>;
  resetConnection(name: string): Promise<void>;
  factsFor(h: HostState, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Record<string, unknown>>;
  /** Runs one host's work under the run's fork limit. */
  fork<T>(work: () => Promise<T>): Promise<T>;
}

/** What the handlers know of the play's handlers: enough to notify and flush them. */
export interface HandlerList {
  /** Marks the handlers a changed task notifies (by name or listen topic) for the host; `ref` is the task as its events name it. */
  notify(host: HostState, names: readonly string[], task: TaskNode, ref: TaskRef): void;
}

export interface PlayEnv extends TaskEnv {
  readonly play: Play;
  readonly handlers: HandlerList;
  readonly runEnv: RunEnv;
  readonly playVars: Record<string, unknown>;
  /** The serial batch running now. */
  readonly batch: readonly HostState[];
  /** No task starts: the play ended early or the run is being interrupted. */
  readonly aborted: boolean;
  /** end_play, any_errors_fatal, max_fail_percentage: no further task of this play starts. */
  endPlay(): void;
  runNodes(nodes: readonly Node[], inh: Inherited, hosts: HostState[]): Promise<void>;
  runTask(task: TaskNode, inh: Inherited, hosts: HostState[], isHandler: boolean): Promise<TaskHostResult[]>;
  flushHandlers(hosts: readonly HostState[]): Promise<void>;
  /** A role's handlers, brought by include_role at run time, join the play's. */
  addHandlers(handlers: readonly TaskNode[], inh: (h: TaskNode) => Inherited): void;
  /** The task's name as its banner shows it (templated with the first host's vars, role prefix). */
  displayName(task: TaskNode, inh: Inherited, host: HostState | undefined): string;
  /** Applies a host's result to the run (facts, register, stats, inventory, notify) and emits it. */
  record(task: TaskNode, inh: Inherited, ref: TaskRef, host: HostState, run: HostRun, factsTo?: readonly HostState[]): void;
}
