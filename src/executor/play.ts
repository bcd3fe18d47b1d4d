/**
 * Runs one play: host selection, serial batches, the linear or free strategy, blocks with
 * rescue/always, handlers, and the actions that change the run itself (meta, include_*).
 */
import { isDeepStrictEqual } from 'node:util';
import { dirname, isAbsolute, join } from 'node:path';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Connection } from '../connection/types.js';
import type { ConnectionKeywords } from './types.js';
import { didYouMean, KelpieError } from '../errors.js';
import type { TaskHostResult, TaskRef } from '../output/events.js';
import { getModule } from '../modules/registry.js';
import { isTemplate, markUnsafe, unsafeLayer } from '../template/index.js';
import { varsToStore } from './hostData.js';
import type { BlockNode, Node, Play, TaskNode } from '../playbook/model.js';
import { loadRole, loadTaskFile } from '../playbook/index.js';
import { STRATEGIES } from '../playbook/play.js';
import { batchHosts } from './batches.js';
import type { HostState } from './hostState.js';
import { inherit, rootInherited, type Inherited } from './inherit.js';
import type { Runner } from './runner.js';
import { loopVars, resolveLoop, withLoopControl } from './loop.js';
import { tagsAllow } from './tags.js';
import { countPlayTasks } from './taskCount.js';
import { TaskThrottles } from './throttle.js';
import { decodeUtf8, loadYaml11 } from '../yaml11.js';
import { maskSecrets } from './result.js';
import { deeperInclude } from './includeChain.js';
import { boolOf, makeTaskRef, runTaskOnHost, type HostRun, type TaskEnv } from './task.js';
import { buildVars, OMIT } from './vars.js';

const SPECIAL = new Set(['meta', 'include_tasks', 'include_role', 'include_vars', 'import_role', 'import_tasks']);

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

export class PlayRun implements TaskEnv {
  readonly templar;
  readonly opts;
  readonly emit;
  playVars: Record<string, unknown> = {};
  private batch: HostState[] = [];
  /** linear or free: the play's `strategy`, rendered with the play's vars when it is a template. */
  private strategy = 'linear';
  private playHosts: string[] = [];
  /** The play ends early: end_play, any_errors_fatal, max_fail_percentage. */
  private endedEarly = false;
  private readonly handlers: TaskNode[];
  private readonly handlerRoots = new Map<string, Inherited>();
  private readonly throttles = new TaskThrottles();

  constructor(
    private readonly runner: Runner,
    readonly play: Play,
  ) {
    this.templar = runner.templar;
    this.opts = runner.opts;
    this.emit = runner.emit;
    this.handlers = [...play.handlers];
  }

  /** No task starts once the play ended early or the run is being interrupted. */
  get aborted(): boolean {
    return this.endedEarly || this.runner.interruptedBy !== undefined;
  }

  // ---- TaskEnv ----
  stopping(): boolean {
    return this.runner.interruptedBy !== undefined;
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
    return this.runner.connectionFor(hostName, vars, kw);
  }

  factsFor(host: HostState, vars: Record<string, unknown>, kw?: ConnectionKeywords): Promise<Record<string, unknown>> {
    return this.runner.factsFor(host, vars, kw);
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
    return this.runner.magicVars(h, {
      play_hosts: active,
      ansible_play_hosts: active,
      ansible_play_batch: active,
      ansible_play_hosts_all: this.playHosts,
      ansible_play_name: this.play.name,
      playbook_dir: this.play.dir,
      role_names: (this.roleNames ??= playRoleNames(this.play.tasks)),
      omit: OMIT,
    });
  }

  private roleNames: string[] | undefined;

  /** Every notify must name a handler (or a listen topic) of the play: checked before any host is touched. */
  /** A play's host pattern (when it holds no template) must parse: checked before any host is touched. */
  checkPattern(): void {
    if (this.play.hosts.includes('{{')) return;
    try {
      this.opts.inventory.select(this.play.hosts);
    } catch (e) {
      throw e instanceof KelpieError ? e.at(this.play.loc) : e;
    }
  }

  checkNotifies(): void {
    const known = new Set<string>();
    for (const h of this.handlers) {
      if (h.name) known.add(h.name);
      for (const l of h.listen ?? []) known.add(l);
    }
    const walk = (nodes: readonly Node[]): void => {
      for (const n of nodes) {
        if (n.kind === 'block') walk([...n.block, ...n.rescue, ...n.always]);
        else
          for (const name of n.notify ?? []) {
            if (!known.has(name) && !name.includes('{{')) {
              const hint = didYouMean(name, known);
              throw new KelpieError('config', `task '${n.name ?? n.actionAs}': the requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`, { loc: n.keyLocs.notify ?? n.loc, ...(hint ? { hint } : {}) });
            }
          }
      }
    };
    walk([...this.play.preTasks, ...this.play.tasks, ...this.play.postTasks, ...this.handlers]);
  }

  // ---- the play ----
  /** Runs the play; true when the playbook must stop here (as ansible-playbook's break_play). */
  async run(): Promise<boolean> {
    const inv = this.opts.inventory;
    const pattern = String(this.templar.render(this.play.hosts, { ...this.opts.extraVars }));
    let selected: string[];
    const warned = inv.warnings.length;
    try {
      selected = inv.select(pattern, this.opts.limit).filter((n) => !this.opts.excludedHosts?.has(n) && this.runner.host(n).active);
    } catch (e) {
      throw e instanceof KelpieError ? e.at(this.play.loc) : e;
    }
    // an unknown host or group in the pattern: Ansible's warning, before the play's banner
    for (const message of inv.warnings.slice(warned)) this.emit({ type: 'warning', message });
    this.playHosts = selected;
    this.runner.selectedForPlay(selected);
    const root = rootInherited(this.play);
    if (!selected.length) {
      // the renderer says `skipping: no hosts matched` under the banner, as Ansible does; exit stays 0
      this.emit({ type: 'play_start', name: this.play.name, hosts: [] });
      this.emit({ type: 'play_end', name: this.play.name });
      return false;
    }
    this.playVars = await this.loadPlayVars(selected);
    this.strategy = this.strategyOf();
    for (const h of selected) this.runner.host(h).endedPlay = false;
    for (const h of selected) this.runner.host(h).inventoryVars = inv.hostVars(h, this.play.dir);
    const tasks = countPlayTasks(this.play, { tags: this.opts.tags, skipTags: this.opts.skipTags, startAtTask: this.opts.startAtTask, gathers: this.gathersFacts(selected.map((n) => this.runner.host(n))) });
    const batches = batchHosts(selected, this.play.serial === undefined ? undefined : this.templar.renderDeep(this.play.serial, this.playVars));
    for (let b = 0; b < batches.length && !this.aborted; b++) {
      this.batch = batches[b]!.map((n) => this.runner.host(n));
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
    const first = this.runner.host(hosts[0]!);
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
    for (const section of [this.play.preTasks, this.play.tasks, this.play.postTasks]) {
      if (this.aborted) break;
      if (this.strategy === 'free') {
        await Promise.all(this.batch.filter((h) => h.active).map((h) => this.runNodes(section, root, [h]).then(() => this.flushHandlers([h]))));
      } else {
        await this.runNodes(section, root, this.batch);
        await this.flushHandlers(this.batch);
      }
    }
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
  async runNodes(nodes: readonly Node[], inh: Inherited, hosts: HostState[]): Promise<void> {
    for (const node of nodes) {
      if (this.aborted) return;
      const live = hosts.filter((h) => h.active);
      if (!live.length) return;
      if (node.kind === 'block') await this.runBlock(node, inh, live);
      else await this.runTaskNode(node, inherit(inh, node, false), live);
    }
  }

  private async runBlock(block: BlockNode, parent: Inherited, hosts: HostState[]): Promise<void> {
    const inh = inherit(parent, block);
    if (block.rescue.length) inh.rescueDepth = parent.rescueDepth + 1;
    const before = new Set(hosts.filter((h) => !h.active));
    await this.runNodes(block.block, inh, hosts);
    if (block.rescue.length) {
      const toRescue = hosts.filter((h) => h.pendingRescue && !h.unreachable);
      for (const h of toRescue) {
        h.pendingRescue = false;
        h.failed = false;
        h.stats.rescued++;
      }
      if (toRescue.length) await this.runNodes(block.rescue, { ...inh, rescueDepth: parent.rescueDepth }, toRescue);
    }
    if (block.always.length) {
      // always runs for hosts that failed inside this block too, then they stay failed
      const failedHere = hosts.filter((h) => h.failed && !h.unreachable && !before.has(h));
      for (const h of failedHere) h.failed = false;
      const alwaysInh = { ...inh, rescueDepth: parent.rescueDepth };
      await this.runNodes(block.always, alwaysInh, hosts.filter((h) => !h.unreachable && (h.active || failedHere.includes(h))));
      for (const h of failedHere) h.failed = true;
    }
  }

  private async runTaskNode(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    if (!tagsAllow(inh.tags, this.opts.tags, this.opts.skipTags) && task.action !== 'include_tasks' && task.action !== 'include_role') return;
    if (!this.runner.startedAt(task)) return;
    if (SPECIAL.has(task.action)) return this.runSpecial(task, inh, hosts);
    await this.runTask(task, inh, hosts, false);
  }

  private displayName(task: TaskNode, inh: Inherited, host: HostState | undefined): string {
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
    const onHost = (h: HostState): Promise<HostRun> => this.runner.queue.add(() => runTaskOnHost(this, ref, task, inh, h)) as Promise<HostRun>;
    const waiting = new Set(targets.map((h) => h.name));
    const stopReporting = this.reportStillRunning(ref, waiting);
    // each host's result is recorded and emitted the moment that host finishes, not when the slowest does
    const runs = await Promise.all(
      targets.map(async (h) => {
        const run = throttle ? ((await throttle.add(() => onHost(h))) as HostRun) : await onHost(h);
        waiting.delete(h.name);
        this.record(task, inh, ref, h, run);
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

  private record(task: TaskNode, inh: Inherited, ref: TaskRef, host: HostState, run: HostRun): void {
    const r = run.shown;
    if (r.interrupted) {
      // reported as it ended, but neither ok nor failed: the run stopped it, not the host
      this.emit({ type: 'host_result', task: ref, result: r });
      return;
    }
    const res = r.result;
    // Facts and inventory changes come from the real result (a no_log task's shown one is
    // censored); a loop's come from each item in order (set_fact in a loop: the last item wins).
    const parts = Array.isArray(run.raw.results) ? (run.raw.results as Record<string, unknown>[]) : [run.raw];
    const fetches = getModule(task.action)?.name === 'fetch';
    for (const part of parts) {
      const facts = part.ansible_facts as Record<string, unknown> | undefined;
      if (facts && typeof facts === 'object' && !part.failed && !part.skipped) {
        if (part._kelpie_set_fact) Object.assign(host.hostFacts, varsToStore(facts));
        else {
          host.setFacts(facts);
          if (task.action === 'setup') host.factsGathered = true;
        }
      }
      if (fetches && typeof part.dest === 'string') this.runner.fetchedFiles.add(part.dest);
      if (this.applyInventoryChanges(host, part) && !part.failed) {
        // Ansible reports group_by/add_host changed when the inventory actually changed
        part.changed = true;
        res.changed = true;
        if (task.register) (host.hostFacts[task.register] as Record<string, unknown>).changed = true;
        if (r.status === 'ok') r.status = 'changed';
      }
    }
    for (const part of [...parts, ...(Array.isArray(res.results) ? (res.results as Record<string, unknown>[]) : [res])]) delete part._kelpie_set_fact;
    const s = host.stats;
    switch (r.status) {
      case 'ok':
        s.ok++;
        break;
      case 'changed':
        s.ok++;
        s.changed++;
        if (this.opts.checkMode) host.checkChanges++;
        break;
      case 'skipped':
        s.skipped++;
        break;
      case 'unreachable':
        if (boolOf(this.templar, inh.ignoreUnreachable, this.playVars, false, 'ignore_unreachable', task.loc)) {
          // as Ansible counts an ignored unreachable host
          s.ok++;
          s.ignored++;
        } else {
          s.unreachable++;
          host.unreachable = true;
        }
        break;
      case 'failed':
        if (r.ignored) {
          s.ok++;
          s.ignored++;
          if (res.changed) s.changed++;
        } else {
          host.hostFacts.ansible_failed_task = { name: ref.name, action: task.action, file: task.file, line: task.loc.line };
          host.hostFacts.ansible_failed_result = markUnsafe(res);
          host.failed = true;
          if (inh.rescueDepth > 0) host.pendingRescue = true;
          else s.failed++;
        }
        break;
    }
    this.emit({ type: 'host_result', task: ref, result: r });
    if (r.status === 'changed' && task.notify?.length) this.notify(host, task.notify, task);
  }

  /** Applies group_by/add_host results; true when a group or a membership is new. */
  private applyInventoryChanges(host: HostState, res: Record<string, unknown>): boolean {
    const inv = this.opts.inventory;
    let changed = false;
    if (typeof res.add_group === 'string') {
      const parents = (res.parent_groups as string[] | undefined) ?? [];
      const known = new Set(inv.groupNames());
      changed = parents.some((p) => !known.has(p)) || !inv.groupsMap()[res.add_group]?.includes(host.name);
      inv.addGroup(res.add_group, parents);
      inv.addHostToGroup(host.name, res.add_group);
      this.runner.inventoryChanged();
    }
    const add = res.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
    if (add) {
      const groups = inv.groupsMap();
      const known = inv.hasHost(add.host_name) ? inv.hostVars(add.host_name) : undefined;
      changed =
        !known ||
        add.groups.some((g) => !groups[g]?.includes(add.host_name)) ||
        Object.entries(add.host_vars).some(([k, v]) => !isDeepStrictEqual(known[k], v));
      inv.addHost(add.host_name, add.groups, varsToStore(add.host_vars));
      this.runner.inventoryChanged();
    }
    return changed;
  }

  private notify(host: HostState, names: string[], task: TaskNode): void {
    for (const name of names) {
      const ids = this.handlers.filter((h) => h.name === name || h.listen?.includes(name)).map((h) => h.id);
      if (!ids.length) {
        this.emit({ type: 'warning', host: host.name, message: `${task.file}:${task.loc.line}: the requested handler '${name}' was not found` });
        continue;
      }
      for (const id of ids) host.notified.add(id);
    }
  }

  /** Runs notified handlers in definition order until none is pending. */
  async flushHandlers(hosts: HostState[]): Promise<void> {
    for (let pass = 0; pass < 100 && !this.stopping(); pass++) {
      let ran = false;
      for (const handler of this.handlers) {
        const due = hosts.filter((h) => h.notified.has(handler.id) && !h.unreachable && (h.active || this.play.forceHandlers));
        if (!due.length) continue;
        for (const h of due) h.notified.delete(handler.id);
        ran = true;
        await this.runTask(handler, this.handlerRoots.get(handler.id) ?? inherit(rootInherited(this.play), handler, false), due, true);
      }
      if (!ran) return;
    }
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

  // ---- actions that change the run ----
  private async runSpecial(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    const live = hosts.filter((h) => h.active);
    switch (task.action) {
      case 'meta':
        return this.runMeta(task, inh, live);
      case 'include_vars':
        return this.includeVars(task, inh, live);
      case 'include_tasks':
      case 'import_tasks':
        return this.includeTasks(task, inh, live);
      case 'include_role':
      case 'import_role':
        return this.includeRole(task, inh, live);
    }
  }

  private async runMeta(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    const what = String(task.args._raw_params ?? task.args.free_form ?? '').trim();
    const whenOk = (h: HostState): boolean => !inh.when.length || this.templar.evaluateConditional(inh.when, this.varsFor(h, inh, task.vars), task.loc);
    switch (what) {
      case 'flush_handlers':
        return this.flushHandlers(this.batch);
      case 'end_play':
        if (hosts.some(whenOk)) this.endedEarly = true;
        return;
      case 'end_host':
        for (const h of hosts.filter(whenOk)) h.endedPlay = true;
        return;
      case 'end_batch':
        if (hosts.some(whenOk)) for (const h of this.batch) h.endedPlay = true;
        return;
      case 'clear_facts':
        for (const h of hosts.filter(whenOk)) {
          h.clearFacts();
          h.hostFacts = {};
        }
        return;
      case 'clear_host_errors':
        for (const h of this.batch) if (!h.unreachable) h.failed = false;
        return;
      case 'reset_connection':
        for (const h of hosts) await this.runner.resetConnection(h.name);
        return;
      case 'noop':
      case 'refresh_inventory':
        return;
      default:
        throw new KelpieError('config', `unknown meta action '${what}'`, { loc: task.loc, hint: 'one of flush_handlers, end_play, end_host, end_batch, clear_facts, clear_host_errors, reset_connection, noop' });
    }
  }

  private loadOptions(): { rolesPath?: string[]; playbookDir: string } {
    return { ...(this.opts.rolesPath ? { rolesPath: this.opts.rolesPath } : {}), playbookDir: this.play.dir };
  }

  private fileArg(task: TaskNode, vars: Record<string, unknown>): string {
    const raw = task.args.file ?? task.args._raw_params ?? task.args.name;
    if (raw === undefined) throw new KelpieError('config', `${task.action} needs a file name`, { loc: task.loc });
    return String(this.templar.render(String(raw), vars, task.loc)).trim();
  }

  private async includeVars(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    const ref = makeTaskRef(task, this.displayName(task, inh, hosts[0]), this.play.name, false);
    this.emit({ type: 'task_start', task: ref, hosts: hosts.map((h) => h.name) });
    for (const h of hosts) {
      const vars = this.varsFor(h, inh, task.vars);
      if (!this.templar.evaluateConditional(inh.when, vars, task.loc)) {
        const skipped = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        this.record(task, inh, ref, h, { shown: { host: h.name, status: 'skipped', result: skipped, durationMs: 0 }, raw: skipped });
        continue;
      }
      const result = await this.loadVarsFor(task, inh, vars);
      const status = result.failed ? 'failed' : 'ok';
      const ignored = status === 'failed' && boolOf(this.templar, inh.ignoreErrors, vars, false, 'ignore_errors', task.loc);
      this.record(task, inh, ref, h, { shown: { host: h.name, status, result: { ...result }, durationMs: 0, ...(ignored ? { ignored } : {}) }, raw: result });
    }
    this.emit({ type: 'task_end', task: ref });
  }

  /** include_vars for one host: Ansible's result, the variables in `ansible_facts` (applied like set_fact). */
  private async loadVarsFor(task: TaskNode, inh: Inherited, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
    const failed = (message: string): Record<string, unknown> => ({ ansible_facts: {}, ansible_included_var_files: [], changed: false, failed: true, message });
    const render = (v: unknown): string => String(this.templar.render(String(v), vars, task.loc)).trim();
    const bases = [...(inh.role ? [join(inh.role.path, 'vars')] : []), join(dirname(task.file), 'vars'), dirname(task.file), join(this.play.dir, 'vars'), this.play.dir];
    const find = async (rel: string, isDir: boolean): Promise<string | undefined> => {
      for (const c of isAbsolute(rel) ? [rel] : bases.map((b) => join(b, rel))) {
        try {
          const st = await stat(c);
          if (st.isDirectory() === isDir) return c;
        } catch {
          // not there: the next candidate
        }
      }
      return undefined;
    };
    let files: string[];
    if (task.args.dir !== undefined) {
      const dir = await find(render(task.args.dir), true);
      if (!dir) return failed(`${render(task.args.dir)} directory does not exist`);
      files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
    } else {
      const rel = this.fileArg(task, vars);
      const file = await find(rel, false);
      if (!file) return failed(`Could not find or access '${rel}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
      files = [file];
    }
    const merged: Record<string, unknown> = {};
    for (const file of files) {
      const data = loadYaml11(decodeUtf8(await readFile(file), file), file) ?? {};
      if (typeof data !== 'object' || Array.isArray(data)) return failed(`${file} must be stored as a dictionary/hash`);
      // A file fetch brought from a host is that host's data: its values are never templated.
      // (Ansible would template them; kelpie refuses to let a host's file run lookups here.)
      Object.assign(merged, this.runner.fetchedFiles.has(file) ? unsafeLayer(data as Record<string, unknown>) : data);
    }
    const holder = task.args.name !== undefined ? render(task.args.name) : undefined;
    return { ansible_facts: holder ? { [holder]: merged } : merged, ansible_included_var_files: files, changed: false, failed: false, _kelpie_set_fact: true };
  }

  /**
   * include_tasks: hosts that include the same file (with the same loop item) run it
   * together, in lockstep; with a loop, the file is included once per item, in item order.
   */
  private async includeTasks(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    interface Inclusion {
      index: number;
      path: string;
      itemVars: Record<string, unknown> | undefined;
      hosts: HostState[];
    }
    const inclusions = new Map<string, Inclusion>();
    const add = (index: number, path: string, itemVars: Record<string, unknown> | undefined, h: HostState): void => {
      const key = `${index}\u0000${path}\u0000${JSON.stringify(itemVars?.[String(itemVars.ansible_loop_var ?? 'item')] ?? null)}`;
      const inc = inclusions.get(key) ?? { index, path, itemVars, hosts: [] };
      inc.hosts.push(h);
      inclusions.set(key, inc);
    };
    const pathFor = (vars: Record<string, unknown>): string => {
      const rel = this.fileArg(task, vars);
      const base = inh.role && !rel.includes('/') ? join(inh.role.path, 'tasks') : dirname(task.file);
      return isAbsolute(rel) ? rel : join(base, rel);
    };
    for (const h of hosts) {
      const vars = this.varsFor(h, inh, task.vars);
      if (!task.loop) {
        if (this.templar.evaluateConditional(inh.when, vars, task.loc)) add(0, pathFor(vars), undefined, h);
        continue;
      }
      const loop = withLoopControl(this.templar, task.loop, vars, task.loc);
      const items = resolveLoop(this.templar, loop, vars, task.loc, this.searchDirs(inh, task));
      items.forEach((item, i) => {
        const lv = loopVars(loop, item, i, items);
        const itemScope = { ...vars, ...lv };
        if (this.templar.evaluateConditional(inh.when, itemScope, task.loc)) add(i, pathFor(itemScope), lv, h);
      });
    }
    const includeChain = deeperInclude(inh.includeChain, task.loc);
    const params = { ...task.args };
    delete params.file;
    delete params._raw_params;
    for (const inc of [...inclusions.values()].sort((a, b) => a.index - b.index)) {
      // a missing or broken file is the include task's error: point at the task
      const nodes = await loadTaskFile(inc.path, { ...(inh.role ? { role: inh.role } : {}) }, this.loadOptions()).catch((e: unknown) => {
        throw e instanceof KelpieError ? e.at(task.loc) : e;
      });
      for (const h of inc.hosts) h.stats.ok++;
      const layers = [...inh.vars, ...(task.vars ? [task.vars] : []), ...(inc.itemVars ? [inc.itemVars] : [])];
      const child: Inherited = { ...inh, when: [], vars: layers, includeParams: { ...(inh.includeParams ?? {}), ...params }, includeChain };
      await this.runNodes(nodes, child, inc.hosts);
    }
  }

  private async includeRole(task: TaskNode, inh: Inherited, hosts: HostState[]): Promise<void> {
    const vars0 = hosts[0] ? this.varsFor(hosts[0], inh, task.vars) : {};
    const name = String(this.templar.render(String(task.args.name ?? task.args._raw_params ?? ''), vars0, task.loc));
    const live = hosts.filter((h) => this.templar.evaluateConditional(inh.when, this.varsFor(h, inh, task.vars), task.loc));
    if (!live.length) return;
    const includeChain = deeperInclude(inh.includeChain, task.loc);
    const loaded = await loadRole(name, this.play.dir, this.loadOptions());
    for (const hd of loaded.handlers) {
      if (!this.handlers.some((x) => x.id === hd.id)) {
        this.handlers.push(hd);
        this.handlerRoots.set(hd.id, inherit(rootInherited(this.play), hd, false, loaded.role));
      }
    }
    const child: Inherited = { ...inherit({ ...inh, when: [] }, {}, false, loaded.role), vars: task.vars ? [...inh.vars, task.vars] : inh.vars, includeChain };
    await this.runNodes(loaded.tasks, child, live);
  }
}
