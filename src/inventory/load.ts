/** Read inventory sources (files, directories, `h1,h2,` lists) into one inventory. */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { decodeUtf8 } from '../yaml11.js';
import { InventoryGraph } from './graph.js';
import { parseHostEntry } from './hostRange.js';
import { loadIniInventory } from './iniSource.js';
import { LoadedInventory } from './inventory.js';
import type { Inventory, LoadOptions } from './types.js';
import { loadYamlInventory, looksLikeYamlInventory } from './yamlSource.js';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];
/** Names Ansible skips inside inventory directories. */
const IGNORED_EXTENSIONS = ['.orig', '.ini', '.cfg', '.retry', '.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst'];
const IGNORED_NAMES = ['group_vars', 'host_vars', 'vars_plugins'];

export async function loadInventory(sources: string[], opts: LoadOptions = {}): Promise<Inventory> {
  const graph = new InventoryGraph();
  const warnings: string[] = [];
  const varsDirs: string[] = [];
  const hostSource = new Map<string, string>();
  const recordNewHosts = (source: string): void => {
    for (const h of graph.hosts.keys()) if (!hostSource.has(h)) hostSource.set(h, source);
  };

  for (const source of sources) {
    if (source.includes(',') && !existsSync(source)) {
      loadHostList(source, graph);
      continue;
    }
    const path = resolve(source);
    const st = await stat(path).catch(() => undefined);
    if (!st) {
      throw new ConfigError(`inventory source '${source}' does not exist`, { hint: `for a list of hosts end it with a comma: -i '${source},'` });
    }
    if (st.isDirectory()) {
      varsDirs.push(path);
      await loadDirectory(path, graph, warnings, recordNewHosts);
    } else {
      varsDirs.push(dirname(path));
      await loadFile(path, graph, warnings);
      recordNewHosts(path);
    }
  }

  graph.reconcile();
  for (const g of graph.groups.keys()) {
    if (graph.hosts.has(g)) warnings.push(`Found both group and host with same name: ${g}`);
  }
  const implicitLocalhost = opts.defaultLocalhost ?? true;
  if (graph.hosts.size === 0) {
    warnings.push(implicitLocalhost ? 'provided hosts list is empty, only localhost is available' : 'provided hosts list is empty');
  }
  return new LoadedInventory({ graph, varsDirs, hostSource, warnings, implicitLocalhost });
}

function loadHostList(list: string, graph: InventoryGraph): void {
  for (const entry of list.split(',')) {
    if (!entry.trim()) continue;
    let parsed: ReturnType<typeof parseHostEntry>;
    try {
      parsed = parseHostEntry(entry);
    } catch (e) {
      throw new ConfigError(`bad host '${entry.trim()}' in inventory list: ${(e as Error).message}`);
    }
    for (const h of parsed.hosts) {
      graph.addHost(h, 'ungrouped');
      if (parsed.port !== undefined) graph.setHostVar(h, 'ansible_port', parsed.port);
    }
  }
}

async function loadDirectory(dir: string, graph: InventoryGraph, warnings: string[], record: (source: string) => void): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('~') || IGNORED_NAMES.includes(name)) continue;
    if (IGNORED_EXTENSIONS.includes(extname(name).toLowerCase())) continue;
    const path = join(dir, name);
    const st = await stat(path);
    if (st.isDirectory()) await loadDirectory(path, graph, warnings, record);
    else {
      await loadFile(path, graph, warnings);
      record(path);
    }
  }
}

async function loadFile(path: string, graph: InventoryGraph, warnings: string[]): Promise<void> {
  const text = decodeUtf8(await readFile(path), path);
  if (text.startsWith('#!')) {
    warnings.push(`${path}: inventory scripts are not supported, skipped`);
    return;
  }
  const ext = extname(path).toLowerCase();
  if (YAML_EXTENSIONS.includes(ext) || (ext === '' && isYamlByContent(text))) loadYamlInventory(text, path, graph, warnings);
  else loadIniInventory(text, path, graph);
}

/**
 * Files without an extension: YAML when the first meaningful line opens a YAML
 * mapping (`all:`) or document (`---`), so YAML mistakes are reported as YAML;
 * otherwise whichever format the content parses as.
 */
function isYamlByContent(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#') && !l.trim().startsWith(';'));
  if (first === undefined) return false;
  if (/^---(\s|$)/.test(first) || /^[^\s[=#;]+:\s*(#.*)?$/.test(first)) return true;
  return !first.trim().startsWith('[') && looksLikeYamlInventory(text);
}
