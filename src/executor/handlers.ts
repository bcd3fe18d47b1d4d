/** A play's handlers: checked before the run, notified by changed tasks, flushed in definition order. */
import { didYouMean, KelpieError } from '../errors.js';
import type { EventSink, TaskRef } from '../output/events.js';
import type { Node, Play, TaskNode } from '../playbook/model.js';
import type { HandlerList, PlayEnv } from './env.js';
import type { HostState } from './hostState.js';
import { inherit, rootInherited, type Inherited } from './inherit.js';

export class PlayHandlers implements HandlerList {
  private readonly list: TaskNode[];
  /** Where the handlers include_role brought get their keywords (their role's). */
  private readonly roots = new Map<string, Inherited>();

  constructor(
    private readonly play: Play,
    private readonly emit: EventSink,
  ) {
    this.list = [...play.handlers];
  }

  /** Every notify must name a handler (or a listen topic) of the play: checked before any host is touched. */
  checkNotifies(): void {
    const known = new Set<string>();
    for (const h of this.list) {
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
    walk([...this.play.preTasks, ...this.play.tasks, ...this.play.postTasks, ...this.list]);
  }

  notify(host: HostState, names: readonly string[], task: TaskNode, ref: TaskRef): void {
    for (const name of names) {
      const handlers = this.list.filter((h) => h.name === name || h.listen?.includes(name));
      if (!handlers.length) {
        this.emit({ type: 'warning', host: host.name, message: `${task.file}:${task.loc.line}: the requested handler '${name}' was not found` });
        continue;
      }
      for (const h of handlers) {
        // a handler already due on this host is not notified again (Ansible's notify_host)
        if (host.notified.has(h.id)) continue;
        host.notified.add(h.id);
        const handler = `${h.role && !(h.name ?? '').includes(' : ') ? `${h.role.name} : ` : ''}${h.name ?? h.actionAs}`;
        this.emit({ type: 'handler_notified', handler, host: host.name, task: ref });
      }
    }
  }

  add(handlers: readonly TaskNode[], inh: (h: TaskNode) => Inherited): void {
    for (const hd of handlers) {
      if (this.list.some((x) => x.id === hd.id)) continue;
      this.list.push(hd);
      this.roots.set(hd.id, inh(hd));
    }
  }

  /** Runs notified handlers in definition order until none is pending. */
  async flush(env: PlayEnv, hosts: readonly HostState[]): Promise<void> {
    for (let pass = 0; pass < 100 && !env.stopping(); pass++) {
      let ran = false;
      for (const handler of this.list) {
        const due = hosts.filter((h) => h.notified.has(handler.id) && !h.unreachable && (h.active || this.play.forceHandlers));
        if (!due.length) continue;
        for (const h of due) h.notified.delete(handler.id);
        ran = true;
        await env.runTask(handler, this.roots.get(handler.id) ?? inherit(rootInherited(this.play), handler, false), due, true);
      }
      if (!ran) return;
    }
  }
}
