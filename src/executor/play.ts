/**
 * Runs one play: host selection, play vars, serial batches, and each task's fan-out over the
 * batch's hosts. The strategy (strategy.ts), the handlers (handlers.ts), the actions that
 * change the run (includes.ts) and the recording of results (hostResult.ts) work through the
 * PlayEnv this class implements; the run itself is reached only through RunEnv.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Connection } from '../connection/types.js';
import type { ConnectionKeywords } from './types.js';
import { KelpieError } from '../errors.js';
import type { TaskHostResult, TaskRef } from '../output/events.js';
import { isTemplate } from '../template/index.js';
import type { Node, Play, TaskNode } from '../playbook/model.js';
import { STRATEGIES } from '../playbook/play.js';
import { batchHosts } from './batches.js';
import type { PlayEnv, RunEnv } from './env.js';
import { PlayHandlers } from './handlers.js';
import { recordHostResult } from './hostResult.js';
import type { HostState } from './hostState.js';
import { rootInherited, type Inherited } from './inherit.js';
import { runNodes, runSections } from './strategy.js';
import { tagsAllow } from './tags.js';
import { countPlayTasks } from './taskCount.js';
import { TaskThrottles } from './throttle.js';
import { decodeUtf8, loadYaml11 } from '../yaml11.js';
import { maskSecrets } from '../vault/mask.js';
import { boolOf, makeTaskRef, runTaskOnHost, type HostRun } from './task.js';
import { buildVars, omitToken } from './vars.js';

/** The play's roles (from `roles:` and import_role), in order, as Ansible's role_names. */
function playRoleNames(nodes: Node[]): string[] {
  const names: string[] = [];
  const walk = (ns: Node[]): void => {
    for (const n of ns) {
      const role = (n as { role?: { name?: string } }).role?.name;
      if (role && !names.includes(role)) names.push(role);
      for (const k of ['block', 'rescue', 'always'] as const) {
        const kids = (n as Partial<Record<typeof k, Node[]>>)[k];
        if (Array.isArray(kids)) walk(kids);
      }
    }
  };
  walk(nodes);
  return names;
}

export class PlayRun implements PlayEnv {
  readonly templar;
  readonly opts;
  readonly emit;
  playVars: Record<string, unknown> = {};
  batch: HostState[] = [];
  /** linear or free: the play's `strategy`, rendered with the play's vars when it is a template. */
  private strategy = 'linear';
  private playHosts: string[] = [];
  /** The play ends early: end_play, any_errors_fatal, max_fail_percentage. */
  private endedEarly = false;
  readonly handlers: PlayHandlers;
  private readonly throttles = new TaskThrottles();

  constructor(
    readonly runEnv: RunEnv,
    readonly play: Play,
  ) {
    this.templar = runEnv.templar;
    this.opts = runEnv.opts;
    this.emit = runEnv.emit;
    this.handlers = new PlayHandlers(play, runEnv.emit);
  }

  /** No task starts once the play ended early or the run is being interrupted. */
  get aborted(): boolean {
    return this.endedEarly || this.runEnv.interruptedBy !== undefined;
  }

  endPlay(): void {
    this.endedEarly = true;
  }

  // ---- TaskEnv ----
  stopping(): boolean {
    return this.runEnv.interruptedBy !== undefined;
  }

  varsFor(host: HostState, inh: Inherited, taskVars?: Record<string, unknown>): Record<string, unknown> {
    return buildVars(
      { playVars: this.playVars, extraVars: this.opts.extraVars, magic: (h) => this.magic(h) },
      host,
      inh,
      taskVars,
    );
  }

  connectionFor(hostName: string, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Connection> {
    return this.runEnv.connectionFor(hostName, vars, kw);
  }

  factsFor(host: HostState, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Record<string, unknown>> {
    return this.runEnv.factsFor(host, vars, kw);
  }

  searchDirs(inh: Inherited, task: TaskNode): string[] {
    const dirs: string[] = [];
    if (inh.role) dirs.push(inh.role.path);
    dirs.push(dirname(task.file), this.play.dir);
    return [...new Set(dirs)];
  }

  /** Names of the batch's active hosts: computed once per task, not per task-host. */
  private activeNames: string[] | undefined;

  private magic(h: HostState): Record<string, unknown> {
    const active = (this.activeNames ??= this.batch.filter((x) => x.active).map((x) => x.name));
    return this.runEnv.magicVars(h, {
      play_hosts: active,
      ansible_play_hosts: active,
      ansible_play_batch: active,
      ansible_play_hosts_all: this.playHosts,
      ansible_play_name: this.play.name,
      playbook_dir: this.play.dir,
      role_names: (this.roleNames ??= playRoleNames(this.play.tasks)),
      omit: omitToken(),
    });
  }

  private roleNames: string[] | undefined;

  // ---- PlayEnv: the strategy, handlers and includes work through these ----
  runNodes(nodes: readonly Node[], inh: Inherited, hosts: HostState[]): Promise<void> {
    return runNodes(this, nodes, inh, hosts);
  }

  flushHandlers(hosts: readonly HostState[]): Promise<void> {
    return this.handlers.flush(this, hosts);
  }

  addHandlers(handlers: readonly TaskNode[], inh: (h: TaskNode) => Inherited): void {
    this.handlers.add(handlers, inh);
  }

  record(task: TaskNode, inh: Inherited, ref: TaskRef, host: HostState, run: HostRun, factsTo?: readonly HostState[]): void {
    recordHostResult(this, task, inh, ref, host, run, factsTo);
  }

  /** Where a task's facts go: `hosts` (run_once: the whole play), or with delegate_facts the delegated host. */
  private factsTargets(task: TaskNode, inh: Inherited, host: HostState, hosts: readonly HostState[]): readonly HostState[] {
    if (inh.delegateTo === undefined || !boolOf(this.templar, inh.delegateFacts, this.playVars, false, 'delegate_facts', task.loc)) return hosts;
    const delegated = String(this.templar.render(String(inh.delegateTo), this.varsFor(host, inh, task.vars)));
    return [this.runEnv.host(delegated)];
  }

  /** A play's host pattern (when it holds no template) must parse: checked before any host is touched. */
  checkPattern(): void {
    if (this.play.hosts.includes('{{')) return;
    try {
      this.opts.inventory.select(this.play.hosts);
    } catch (e) {
      throw e instanceof KelpieError ? e.at(this.play.loc) : e;
    }
  }

  /** Every notify must name a handler (or a listen topic) of the play: checked before any host is touched. */
  checkNotifies(): void {
    this.handlers.checkNotifies();
  }

  // ---- the play ----
  /** Runs the play; true when the playbook must stop here (as ansible-playbook's break_play). */
  async run(): Promise<boolean> {
    const inv = this.opts.inventory;
    const pattern = String(this.templar.render(this.play.hosts, { ...this.opts.extraVars }));
    let selected: string[];
    const warned = inv.warnings.length;
    try {
      selected = inv.select(pattern, this.opts.limit).filter((n) => !this.opts.excludedHosts?.has(n) && this.runEnv.host(n).active);
    } catch (e) {
      throw e instanceof KelpieError ? e.at(this.play.loc) : e;
    }
    // an unknown host or group in the pattern: Ansible's warning, before the play's banner
    for (const message of inv.warnings.slice(warned)) this.emit({ type: 'warning', message });
    this.playHosts = selected;
    this.runEnv.selectedForPlay(selected);
    const root = rootInherited(this.play);
    if (!selected.length) {
      // the renderer says `skipping: no hosts matched` under the banner, as Ansible does; exit stays 0
      this.emit({ type: 'play_start', name: this.play.name, hosts: [] });
      this.emit({ type: 'play_end', name: this.play.name });
      return false;
    }
    this.playVars = await this.loadPlayVars(selected);
    this.strategy = this.strategyOf();
    for (const h of selected) this.runEnv.host(h).endedPlay = false;
    for (const h of selected) this.runEnv.host(h).inventoryVars = inv.hostVars(h, this.play.dir);
    const tasks = countPlayTasks(this.play, { tags: this.opts.tags, skipTags: this.opts.skipTags, startAtTask: this.opts.startAtTask, gathers: this.gathersFacts(selected.map((n) => this.runEnv.host(n))) });
    const batches = batchHosts(selected, this.play.serial === undefined ? undefined : this.templar.renderDeep(this.play.serial, this.playVars));
    for (let b = 0; b < batches.length && !this.aborted; b++) {
      this.batch = batches[b]!.map((n) => this.runEnv.host(n));
      this.activeNames = undefined;
      this.emit({ type: 'play_start', name: this.play.name, hosts: batches[b]!, ...(batches.length > 1 ? { batch: { index: b + 1, count: batches.length } } : {}), tasks });
      await this.runBatch(root);
      this.emit({ type: 'play_end', name: this.play.name });
      // Ansible ends the play, and the playbook, when every host of a batch failed.
      if (this.batch.every((h) => h.failed || h.unreachable)) return true;
      if (this.batch.every((h) => !h.active)) break;
    }
    return this.aborted;
  }

  private async loadPlayVars(hosts: string[]): Promise<Record<string, unknown>> {
    const vars: Record<string, unknown> = { ...(this.play.vars ?? {}) };
    const first = this.runEnv.host(hosts[0]!);
    first.inventoryVars = this.opts.inventory.hostVars(first.name, this.play.dir);
    for (const entry of this.play.varsFiles) {
      const alternatives = Array.isArray(entry) ? entry : [entry];
      let loaded = false;
      const tried: string[] = [];
      for (const alt of alternatives) {
        const scope = { ...first.inventoryVars, ...vars, ...this.opts.extraVars };
        const rel = String(this.templar.render(String(alt), scope));
        const path = isAbsolute(rel) ? rel : join(this.play.dir, rel);
        tried.push(path);
        let bytes: Buffer;
        try {
          bytes = await readFile(path);
        } catch {
          continue; // the next alternative
        }
        // a file that exists but cannot be read as text (a vault the passwords do not open) is its own error
        const data: unknown = loadYaml11(decodeUtf8(bytes, path), path);
        if (data && typeof data === 'object') Object.assign(vars, data);
        loaded = true;
        break;
      }
      if (!loaded) throw new KelpieError('config', `vars_files: could not find ${tried.join(' or ')}`, { loc: this.play.loc });
    }
    return vars;
  }

  private strategyOf(): string {
    const raw = this.play.strategy;
    if (!isTemplate(raw)) return raw;
    const s = String(this.templar.render(raw, { ...this.playVars, ...this.opts.extraVars }, this.play.loc));
    if (!STRATEGIES.includes(s)) throw new KelpieError('config', `unknown strategy '${s}' (from '${raw}')`, { loc: this.play.loc, hint: `kelpie has ${STRATEGIES.join(' and ')}` });
    return s;
  }

  /** The play starts with Gathering Facts for these hosts (gather_facts, tags, facts not gathered yet). */
  private gathersFacts(hosts: readonly HostState[]): boolean {
    const gather = boolOf(this.templar, this.play.gatherFacts, this.playVars, true, 'gather_facts', this.play.loc);
    return gather && tagsAllow(['always'], this.opts.tags, this.opts.skipTags) && hosts.some((h) => h.active && !h.factsGathered);
  }

  private async runBatch(root: Inherited): Promise<void> {
    if (this.gathersFacts(this.batch)) await this.gatherFacts(root);
    await runSections(this, this.strategy, root);
  }

  private async gatherFacts(root: Inherited): Promise<void> {
    const hosts = this.batch.filter((h) => h.active && !h.factsGathered);
    if (!hosts.length) return;
    const task: TaskNode = {
      kind: 'task',
      id: `${this.play.file}:${this.play.loc.line}:gather`,
      name: 'Gathering Facts',
      action: 'setup',
      actionAs: 'setup',
      args: {},
      loc: this.play.loc,
      argLocs: {},
      keyLocs: {},
      file: this.play.file,
      checkMode: false,
    };
    await this.runTask(task, root, hosts, false);
  }

  /** Runs nodes for the hosts that are still active, in lockstep (linear). */
  displayName(task: TaskNode, inh: Inherited, host: HostState | undefined): string {
    const base = task.name ?? task.actionAs;
    let name = base;
    if (task.name && host) {
      try {
        // a vault value in a task name is masked like one in a result
        name = maskSecrets(String(this.templar.render(task.name, this.varsFor(host, inh, task.vars))), []);
      } catch {
        name = task.name;
      }
    }
    return inh.role && !name.includes(' : ') ? `${inh.role.name} : ${name}` : name;
  }

  /** Runs a module task on the hosts through the fork queue, then records results. */
  async runTask(task: TaskNode, inh: Inherited, hosts: HostState[], isHandler: boolean): Promise<TaskHostResult[]> {
    const live = hosts.filter((h) => h.active || (isHandler && this.play.forceHandlers && !h.unreachable));
    if (!live.length || this.stopping()) return [];
    this.activeNames = undefined;
    const ref: TaskRef = makeTaskRef(task, this.displayName(task, inh, live[0]), this.play.name, isHandler);
    const runOnce = boolOf(this.templar, inh.runOnce, this.playVars, false, 'run_once', task.loc);
    const targets = runOnce ? live.slice(0, 1) : live;
    this.emit({ type: 'task_start', task: ref, hosts: targets.map((h) => h.name) });
    // Ansible ignores throttle on a run_once task
    const throttle = runOnce ? undefined : this.throttles.queueFor(task, inh.throttle, () => this.templar.render(String(inh.throttle), this.varsFor(targets[0]!, inh, task.vars)));
    const onHost = (h: HostState): Promise<HostRun> => this.runEnv.fork(() => runTaskOnHost(this, ref, task, inh, h));
    const waiting = new Set(targets.map((h) => h.name));
    const stopReporting = this.reportStillRunning(ref, waiting);
    // each host's result is recorded and emitted the moment that host finishes, not when the slowest does
    const runs = await Promise.all(
      targets.map(async (h) => {
        const run = throttle ? ((await throttle.add(() => onHost(h))) as HostRun) : await onHost(h);
        waiting.delete(h.name);
        this.record(task, inh, ref, h, run, this.factsTargets(task, inh, h, runOnce ? live : [h]));
        return run;
      }),
    ).finally(stopReporting);
    const results = runs.map((r) => r.shown);
    if (runOnce && task.register && results[0]) {
      const r = targets[0]!.hostFacts[task.register];
      for (const h of live.slice(1)) h.hostFacts[task.register] = r;
    }
    this.emit({ type: 'task_end', task: ref });
    this.checkFailureLimits(inh, results);
    return results;
  }

  /**
   * A task that runs long and prints nothing (the command timeout defaults to an hour)
   * must not leave a CI log silent: every progressIntervalMs it names the hosts still on it.
   */
  private reportStillRunning(task: TaskRef, waiting: ReadonlySet<string>): () => void {
    const every = this.opts.progressIntervalMs ?? 30_000;
    if (every <= 0) return () => undefined;
    const started = Date.now();
    const timer = setInterval(() => {
      if (waiting.size) this.emit({ type: 'task_waiting', task, hosts: [...waiting], elapsedMs: Date.now() - started });
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }

  private checkFailureLimits(inh: Inherited, results: TaskHostResult[]): void {
    const failedNow = results.some((r) => r.status === 'failed' && !r.ignored);
    const fatal = boolOf(this.templar, inh.anyErrorsFatal ?? this.play.anyErrorsFatal, this.playVars, false, 'any_errors_fatal');
    if (failedNow && fatal && inh.rescueDepth === 0) {
      this.endedEarly = true;
      return;
    }
    if (this.play.maxFailPercentage !== undefined) {
      const failed = this.batch.filter((h) => h.failed || h.unreachable).length;
      if ((failed / this.batch.length) * 100 > this.play.maxFailPercentage) this.endedEarly = true;
    }
  }

}
