/**
 * On a fleet most hosts say the same thing: the same diff, the same debug message. The live
 * view keeps a task's results until the task ends and prints each text once, with every
 * host that gave it: `changed: [web01, web02, web03]` under one diff. Failures are not kept:
 * they are printed the moment they happen.
 */
const HOLE = '\u0000';

export class SameResults {
  /** task id → the text with its host label left out → the hosts, in the order they came */
  private readonly byTask = new Map<string, Map<string, string[]>>();

  /**
   * Keeps a host's result text (the plain renderer's, ending in its `status: [host]` line);
   * false when the text has no such label to join on (a delegated host's `[a -> b]`).
   */
  add(taskId: string, host: string, text: string): boolean {
    const label = `: [${host}]`;
    const at = text.lastIndexOf(label);
    if (at < 0 || text.includes(HOLE)) return false;
    const key = `${text.slice(0, at)}: [${HOLE}]${text.slice(at + label.length)}`;
    let groups = this.byTask.get(taskId);
    if (!groups) this.byTask.set(taskId, (groups = new Map<string, string[]>()));
    groups.set(key, [...(groups.get(key) ?? []), host]);
    return true;
  }

  /** The task's kept results, each text once (in the order they first came) with its hosts, as `label` names them. */
  take(taskId: string, label: (hosts: string[]) => string = (hosts) => hosts.join(', ')): string {
    const groups = this.byTask.get(taskId);
    this.byTask.delete(taskId);
    return [...(groups ?? [])].map(([key, hosts]) => key.replace(HOLE, label(hosts))).join('');
  }

  /** Everything still kept (a run that stops in the middle of tasks). */
  takeAll(label?: (hosts: string[]) => string): string {
    return [...this.byTask.keys()].map((id) => this.take(id, label)).join('');
  }
}
