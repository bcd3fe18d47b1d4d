/**
 * Facts cached as one JSON file per host (like Ansible's jsonfile fact cache), valid for
 * maxAgeSec. Writes are atomic (temp file + rename) so parallel runs never read half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

interface Entry {
  savedAt: number; // ms since epoch
  facts: Record<string, unknown>;
}

export class FactCache {
  constructor(
    private readonly dir: string,
    private readonly maxAgeSec: number,
  ) {}

  private file(host: string): string {
    // Host names are inventory names: keep them readable but never let them leave dir.
    return path.join(this.dir, `${encodeURIComponent(host).replace(/^\.+/, (m) => '%2E'.repeat(m.length))}.json`);
  }

  get(host: string): Record<string, unknown> | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(this.file(host), 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    if (typeof entry.savedAt !== 'number' || !entry.facts || typeof entry.facts !== 'object') return undefined;
    if (this.maxAgeSec > 0 && Date.now() - entry.savedAt > this.maxAgeSec * 1000) return undefined;
    return entry.facts;
  }

  set(host: string, facts: Record<string, unknown>): void {
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(host);
    const tmp = `${target}.${process.pid}.tmp`;
    const entry: Entry = { savedAt: Date.now(), facts };
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, target);
  }
}
