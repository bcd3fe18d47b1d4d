/**
 * One YAML file parsed the way Ansible's PyYAML loader reads it (YAML 1.1 booleans
 * yes/no/on/off, octal 0644, sexagesimal 1:20), keeping every node's position.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isAlias, isMap, isScalar, isSeq, type Document, type Node as YNode, type Pair, type YAMLMap } from 'yaml';
import { ConfigError, type SourceLocation } from '../errors.js';
import { noteRead, noteUncacheable } from './loadRecord.js';
import { decodeUtf8, errorOffset, openingQuote, parseYaml11Document, yamlErrorText, yamlMessage } from '../yaml11.js';

export type { YNode };

/** One key of a mapping, with where it was written. */
export interface Entry {
  key: string;
  keyLoc: SourceLocation;
  value: YNode | null;
  valueLoc: SourceLocation;
}

export class SourceFile {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  loc(node: YNode | null | undefined, fallback?: SourceLocation): SourceLocation {
    const start = node?.range?.[0];
    if (start === undefined) return fallback ?? { file: this.file, line: 1, col: 1 };
    return this.at(start);
  }

  get root(): YNode | null {
    return (this.doc.contents as YNode | null) ?? null;
  }

  /** The plain JS value of a node (aliases and merge keys resolved). */
  js(node: YNode | null | undefined): unknown {
    if (!node) return null;
    return node.toJS(this.doc, { maxAliasCount: 1000 }) as unknown;
  }

  resolve(node: YNode | null | undefined): YNode | null {
    if (!node) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as YNode | undefined) ?? null;
    return node;
  }

  /** Keys of a mapping in order; `<<: *alias` merge keys expanded (explicit keys win). */
  entries(map: YAMLMap): Entry[] {
    const out: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items as Pair<YNode | null, YNode | null>[]) {
      const keyNode = pair.key;
      const key = this.keyText(keyNode);
      const keyLoc = this.loc(keyNode, this.loc(map));
      if (key === '<<') {
        for (const src of this.mergeSources(pair.value)) merged.push(...this.entries(src));
        continue;
      }
      const value = (pair.value as YNode | null) ?? null;
      const valueLoc = value?.range ? this.loc(value) : keyLoc;
      out.push({ key, keyLoc, value, valueLoc });
    }
    const own = new Set(out.map((e) => e.key));
    return [...merged.filter((e) => !own.has(e.key)), ...out];
  }

  private mergeSources(value: YNode | null | undefined): YAMLMap[] {
    const v = this.resolve(value);
    if (isMap(v)) return [v];
    if (isSeq(v)) return v.items.map((i) => this.resolve(i as YNode)).filter((i): i is YAMLMap => isMap(i));
    return [];
  }

  private keyText(node: YNode | null): string {
    if (isScalar(node)) {
      if (typeof node.value === 'string') return node.value;
      const r = node.range;
      // Non-string keys (`yes:`, `1:`) keep what the user wrote.
      if (r) return this.text.slice(r[0], r[1]);
      return String(node.value);
    }
    return String(this.js(node));
  }
}

/** Parses YAML text; syntax problems come back as located ConfigErrors. */
export function parseYaml(file: string, text: string): { source: SourceFile; errors: ConfigError[] } {
  const lines = new LineCounter();
  const doc = parseYaml11Document(text, { lineCounter: lines, file });
  const source = new SourceFile(file, text, doc, lines);
  const errors = doc.errors.map((e) => {
    const loc = source.at(e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0]?.trim() ?? '';
      return new ConfigError(`duplicate key '${key.replace(/^["']|["']$/g, '')}'`, { loc, hint: 'each key may appear once per mapping' });
    }
    const open = e.code === 'MISSING_CHAR' ? openingQuote(text, e.pos[0], e.message) : undefined;
    if (open !== undefined) {
      return new ConfigError(`YAML syntax error: ${yamlMessage(e.message)}`, { loc: source.at(open), hint: 'the quoted string starting here is never closed' });
    }
    return new ConfigError(yamlErrorText(e), { loc: source.at(errorOffset(text, e)) });
  });
  return { source, errors };
}

const cache = new Map<string, { mtimeText: string; parsed: { source: SourceFile; errors: ConfigError[] } }>();

/**
 * Reads and parses a file; a missing file is a ConfigError pinned to `from` if given. The read
 * is synchronous: playbook files are small and local, and an asynchronous read cost a start
 * more (a thread-pool round trip per file) than it ever let run beside it.
 */
export function readYaml(file: string, from?: SourceLocation): { source: SourceFile; errors: ConfigError[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    noteRead(file, err as NodeJS.ErrnoException);
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new ConfigError(`${file}: ${why}`, { ...(from ? { loc: from } : {}), cause: err });
  }
  noteRead(file, bytes);
  const text = decodeUtf8(bytes, file);
  // an inline vault value is a secret: a load that decrypted one is never written to a cache
  if (text.includes('!vault')) noteUncacheable(`${file} holds a !vault value`);
  const hit = cache.get(file);
  if (hit && hit.mtimeText === text) return hit.parsed;
  const parsed = parseYaml(file, text);
  cache.set(file, { mtimeText: text, parsed });
  return parsed;
}

/** Empties readYaml's cache (the bin's startup snapshot must not carry files read while it was built). */
export function forgetParsedFiles(): void {
  cache.clear();
}
