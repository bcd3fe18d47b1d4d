/** A whole run: playbooks in order, shared hosts, connections, facts, the fork queue. */
import PQueue from 'p-queue';
import { createConnection, connectionOptionsFromVars } from '../connection/index.js';
import type { Connection } from '../connection/types.js';
import { ConnectError } from '../errors.js';
import { exitCodeOf, interruptExitCode, type EventSink } from '../output/events.js';
import { gatherFacts, FactCache } from '../facts/index.js';
import type { Playbook, TaskNode } from '../playbook/model.js';
import { isTemplate, markUnsafe, Templar, unboxed } from '../template/index.js';
import { FetchedFiles } from './hostData.js';
import { HostState } from './hostState.js';
import type { RunEnv } from './env.js';
import { PlayRun } from './play.js';
import type { ConnectionKeywords, RunOptions, RunSummary } from './types.js';

/** How long an interrupted run waits for its tasks in flight before it reports anyway. */
const INTERRUPT_GRACE_MS = 10_000;

export class Runner implements RunEnv {
  readonly queue: PQueue;
  readonly templar: Templar;
  private readonly hosts = new Map<string, HostState>();
  private readonly conns = new Map<string, Promise<Connection>>();
  private started: boolean;
  private readonly factCache: FactCache | undefined;
  private hostvarsProxy: Record<string, unknown> | undefined;
  /** Controller paths fetch wrote in this run (include_vars treats them as host data). */
  readonly fetchedFiles = new FetchedFiles();
  /** The signal that interrupted the run (SIGINT/SIGTERM): from then on no task starts. */
  interruptedBy: string | undefined;
  /** Once the recap is out, late events of work abandoned at an interrupt are dropped. */
  private ended = false;
  readonly emit: EventSink;

  constructor(readonly opts: RunOptions) {
    this.queue = new PQueue({ concurrency: Math.max(1, opts.forks) });
    this.templar = new Templar({});
    this.started = !opts.startAtTask;
    this.factCache = opts.factCacheDir ? new FactCache(opts.factCacheDir, opts.factCacheMaxAgeSec ?? 86400) : undefined;
    this.emit = (e) => {
      if (!this.ended) opts.sink(e);
    };
    const signal = opts.interrupt;
    if (signal) {
      if (signal.aborted) this.interrupt(String(signal.reason));
      else signal.addEventListener('abort', () => this.interrupt(String(signal.reason)), { once: true });
    }
  }

  /**
   * First SIGINT/SIGTERM: stop starting tasks and kill what runs now on every host (each
   * connection kills its commands' process groups and aborts its uploads; the tasks then
   * remove their temp files and settle), so run() can report and return.
   */
  private interrupt(signal: string): void {
    if (this.interruptedBy) return;
    this.interruptedBy = signal;
    for (const p of this.conns.values()) void p.then((c) => c.interrupt(), () => undefined);
  }

  fork<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.add(work) as Promise<T>;
  }

  /** Every host a play selected, attempted or not (a serial rollout may stop before some). */
  private readonly targeted = new Set<string>();

  selectedForPlay(names: readonly string[]): void {
    for (const n of names) this.targeted.add(n);
  }

  host(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) {
      h = new HostState(name);
      const cached = this.factCache?.get(name);
      if (cached) {
        h.setFacts(cached);
        h.factsGathered = true;
      }
      this.hosts.set(name, h);
    }
    return h;
  }

  /** --start-at-task: nothing runs until a task of that name is reached. */
  startedAt(task: TaskNode): boolean {
    if (!this.started && task.name === this.opts.startAtTask) this.started = true;
    return this.started;
  }

  /** `groups` and each host's `group_names`, rebuilt only when add_host/group_by change the inventory. */
  private groupsCache: { groups: Record<string, string[]>; names: Map<string, string[]> } | undefined;

  inventoryChanged(): void {
    this.groupsCache = undefined;
  }

  private groupInfo(): { groups: Record<string, string[]>; names: Map<string, string[]> } {
    this.groupsCache ??= { groups: this.opts.inventory.groupsMap(), names: new Map() };
    return this.groupsCache;
  }

  magicVars(h: HostState, play: Record<string, unknown>): Record<string, unknown> {
    const inv = this.opts.inventory;
    const gi = this.groupInfo();
    let names = gi.names.get(h.name);
    if (!names) gi.names.set(h.name, (names = inv.groupsOf(h.name)));
    return {
      inventory_hostname: h.name,
      inventory_hostname_short: h.name.split('.')[0],
      group_names: names,
      groups: gi.groups,
      hostvars: this.hostvars(),
      ansible_check_mode: this.opts.checkMode,
      ansible_diff_mode: this.opts.diffMode,
      ansible_verbosity: this.opts.verbosity,
      ansible_run_tags: this.opts.tags?.length ? this.opts.tags : ['all'],
      ansible_skip_tags: this.opts.skipTags ?? [],
      ansible_version: { full: '2.16.0', major: 2, minor: 16, revision: 0, string: '2.16.0 (kelpie)' },
      ...play,
    };
  }

  /** hostvars: every host's inventory vars, facts and set_facts, built on access. */
  private hostvars(): Record<string, unknown> {
    if (!this.hostvarsProxy) {
      const inv = this.opts.inventory;
      this.hostvarsProxy = new Proxy({} as Record<string, unknown>, {
        get: (_t, key) => {
          if (typeof key !== 'string' || !inv.hasHost(key)) return undefined;
          const h = this.host(key);
          const base = Object.keys(h.inventoryVars).length ? h.inventoryVars : inv.hostVars(key);
          const own: Record<string, unknown> = { ...base, ...h.factVars(), ...h.includedVars, ...h.hostFacts, ...this.opts.extraVars, inventory_hostname: key, group_names: inv.groupsOf(key) };
          return this.renderedInOwnContext(own);
        },
        has: (_t, key) => typeof key === 'string' && inv.hasHost(key),
        ownKeys: () => inv.hosts(),
        getOwnPropertyDescriptor: (_t, key) =>
          typeof key === 'string' && inv.hasHost(key) ? { enumerable: true, configurable: true, value: undefined } : undefined,
      });
    }
    return this.hostvarsProxy;
  }

  /**
   * hostvars[h].x renders x's templates in h's own variables (as Ansible's hostvars do), not in
   * the variables of the host that asks; the result is data the asking template won't re-render.
   */
  private renderedInOwnContext(own: Record<string, unknown>): Record<string, unknown> {
    const cache = new Map<string, unknown>();
    const view = new Proxy(own, {
      get: (t, k) => {
        // the whole view is marked unsafe, so a host's boxed facts can be handed out as text
        const v = unboxed(t[k as string]);
        if (typeof k !== 'string' || typeof v !== 'string' || !isTemplate(v) || t[k] !== v) return v;
        if (!cache.has(k)) cache.set(k, this.templar.render(v, own));
        return cache.get(k);
      },
    });
    return markUnsafe(view);
  }

  /**
   * The host's one connection. The `connection` and `remote_user` keywords apply where the
   * host has no ansible_connection/ansible_user variable (Ansible: variables beat keywords,
   * keywords beat the CLI); a keyword that picks another kind or user gets its own connection.
   */
  async connectionFor(name: string, vars: Record<string, unknown>, kw: ConnectionKeywords = {}): Promise<Connection> {
    const key = name === '127.0.0.1' ? 'localhost' : name;
    const cacheKey = kw.connection === undefined && kw.remoteUser === undefined ? key : `${key}\0${kw.connection ?? ''}\0${kw.remoteUser ?? ''}`;
    let p = this.conns.get(cacheKey);
    if (!p) {
      const source = key === name && this.opts.inventory.hasHost(key) && key !== vars.inventory_hostname ? this.opts.inventory.hostVars(key) : key === vars.inventory_hostname ? vars : {};
      const connVars: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(source)) {
        if (k.startsWith('ansible_') || k.startsWith('kelpie_')) connVars[k] = typeof v === 'string' ? this.templar.render(v, vars) : unboxed(v);
      }
      if (key === 'localhost' && connVars.ansible_connection === undefined) connVars.ansible_connection = 'local';
      if (kw.connection !== undefined) connVars.ansible_connection ??= kw.connection;
      if (kw.remoteUser !== undefined && connVars.ansible_ssh_user === undefined) connVars.ansible_user ??= kw.remoteUser;
      const opts = connectionOptionsFromVars(key, connVars, this.opts.connectionDefaults);
      if (opts.ignoredSshArgs) {
        this.emit({ type: 'warning', host: name, message: `ssh arguments kelpie does not apply (its ssh2 connection has no use for them): ${opts.ignoredSshArgs.join(', ')}` });
      }
      for (const w of opts.sshConfigWarnings ?? []) this.emit({ type: 'warning', host: name, message: w });
      p = (async () => {
        const c = createConnection(opts);
        await c.connect();
        if (this.interruptedBy) c.interrupt(); // connected while the run was being interrupted
        return c;
      })();
      this.conns.set(cacheKey, p);
      p.catch(() => undefined);
    }
    try {
      return await p;
    } catch (e) {
      if (e instanceof ConnectError) throw e;
      throw new ConnectError(`${name}: ${(e as Error).message}`, { cause: e });
    }
  }

  async resetConnection(name: string): Promise<void> {
    for (const [k, p] of [...this.conns]) {
      if (k !== name && !k.startsWith(`${name}\0`)) continue;
      this.conns.delete(k);
      await p.then((c) => c.close()).catch(() => undefined);
    }
  }

  async factsFor(h: HostState, vars: Record<string, unknown>, kw: ConnectionKeywords = {}): Promise<Record<string, unknown>> {
    if (!h.factsGathered) {
      const conn = await this.connectionFor(h.name, vars, kw);
      const facts = await gatherFacts((cmd) => conn.exec(cmd, { probe: true }));
      h.setFacts(facts);
      h.factsGathered = true;
      this.factCache?.set(h.name, facts);
    }
    return h.facts;
  }

  async run(playbooks: Playbook[]): Promise<RunSummary> {
    const t0 = Date.now();
    for (const pb of playbooks)
      for (const play of pb.plays) {
        const pr = new PlayRun(this, play);
        pr.checkPattern();
        pr.checkNotifies();
      }
    this.emit({ type: 'run_start', playbooks: playbooks.map((pb) => pb.file), checkMode: this.opts.checkMode, diffMode: this.opts.diffMode });
    try {
      await this.untilInterruptSettles(this.runPlays(playbooks));
    } finally {
      await this.closeAll();
    }
    for (const [name, h] of this.hosts) if (h.factsGathered) this.factCache?.set(name, h.facts);
    const attempted = ([, h]: [string, HostState]): boolean => Object.values(h.stats).some((n) => n > 0) || h.unreachable;
    const stats = Object.fromEntries([...this.hosts].filter(attempted).map(([n, h]) => [n, h.stats]));
    const notAttempted = [...this.targeted].filter((n) => !(n in stats));
    const interrupted = this.interruptedBy;
    const exitCode = interrupted ? interruptExitCode(interrupted) : exitCodeOf(stats, this.opts.exitChanged);
    if (interrupted) this.emit({ type: 'interrupted', signal: interrupted });
    this.emit({ type: 'recap', stats, ...(notAttempted.length ? { notAttempted } : {}) });
    this.emit({ type: 'playbook_end', exitCode, durationMs: Date.now() - t0, ...(interrupted ? { interrupted } : {}) });
    this.ended = true;
    return { exitCode, stats };
  }

  private async runPlays(playbooks: Playbook[]): Promise<void> {
    for (const pb of playbooks) {
      if (this.interruptedBy) return;
      this.emit({ type: 'playbook_start', file: pb.file, checkMode: this.opts.checkMode, diffMode: this.opts.diffMode });
      for (const play of pb.plays) {
        if (this.interruptedBy) return;
        for (const h of this.hosts.values()) h.endedPlay = false;
        const pr = new PlayRun(this, play);
        // ansible-playbook ends the playbook when a play's whole batch failed
        if (await pr.run()) break;
      }
    }
  }

  /**
   * The run's own promise, but after an interrupt wait at most INTERRUPT_GRACE_MS for the
   * tasks in flight to settle (killing a command takes up to a few seconds): a host that
   * no longer answers must not keep the report from being written.
   */
  private async untilInterruptSettles(work: Promise<void>): Promise<void> {
    const signal = this.opts.interrupt;
    if (!signal) return work;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const grace = new Promise<void>((resolve) => {
      onAbort = () => void (timer = setTimeout(resolve, INTERRUPT_GRACE_MS));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([work, grace]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
  }
}
