/**
 * group_vars/ and host_vars/ beside an inventory source or a playbook: `NAME`,
 * `NAME.yml`, `NAME.yaml`, `NAME.json` (first found wins, as in Ansible) or a
 * directory `NAME/` whose files merge in lexical order. Reads are synchronous
 * because variable lookups are, and every listing and file is read once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseYamlDocument } from './yamlSource.js';
import { decodeUtf8 } from '../yaml11.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];
export type VarsKind = 'group_vars' | 'host_vars';

export class VarsFileStore {
  private listings = new Map<string, Map<string, { path: string; dir: boolean }> | null>();
  private files = new Map<string, Record<string, unknown>>();
  private merged = new Map<string, Record<string, unknown>>();

  /** Variables for one group or host from `<baseDir>/<kind>/`, or {} when there are none. */
  varsFor(baseDir: string, kind: VarsKind, name: string): Record<string, unknown> {
    const key = `${baseDir}\0${kind}\0${name}`;
    const hit = this.merged.get(key);
    if (hit) return hit;
    const listing = this.listing(join(baseDir, kind));
    let out: Record<string, unknown> = {};
    if (listing) {
      for (const ext of EXTENSIONS) {
        const entry = listing.get(name + ext);
        if (!entry) continue;
        const paths = entry.dir ? dirVarsFiles(entry.path) : [entry.path];
        for (const p of paths) out = { ...out, ...this.readVarsFile(p) };
        break;
      }
    }
    this.merged.set(key, out);
    return out;
  }

  private listing(dir: string): Map<string, { path: string; dir: boolean }> | null {
    if (this.listings.has(dir)) return this.listings.get(dir) ?? null;
    let result: Map<string, { path: string; dir: boolean }> | null = null;
    try {
      result = new Map();
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, d.name);
        const isDir = d.isDirectory() || (d.isSymbolicLink() && safeIsDir(path));
        result.set(d.name, { path, dir: isDir });
      }
    } catch {
      result = null;
    }
    this.listings.set(dir, result);
    return result;
  }

  private readVarsFile(path: string): Record<string, unknown> {
    const hit = this.files.get(path);
    if (hit) return hit;
    const text = decodeUtf8(readFileSync(path), path);
    const { doc, where } = parseYamlDocument(text, path);
    const root = doc.contents;
    let vars: Record<string, unknown> = {};
    if (root !== null && !(isScalar(root) && root.value === null)) {
      if (!isMap(root)) throw new ConfigError('a vars file must be a mapping of variable names to values', { loc: where(root) });
      vars = (doc.toJS() ?? {}) as Record<string, unknown>;
    }
    this.files.set(path, vars);
    return vars;
  }
}

function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Files of a vars directory, recursively, in lexical order; hidden and backup files skipped. */
function dirVarsFiles(dir: string): string[] {
  const out: string[] = [];
  const names = readdirSync(dir).sort();
  for (const n of names) {
    if (n.startsWith('.') || n.endsWith('~')) continue;
    const path = join(dir, n);
    if (safeIsDir(path)) out.push(...dirVarsFiles(path));
    else {
      const dot = n.lastIndexOf('.');
      const ext = dot > 0 ? n.slice(dot) : '';
      if (EXTENSIONS.includes(ext)) out.push(path);
    }
  }
  return out;
}
