/** INI inventories: `[group]`, `[group:vars]`, `[group:children]`, host lines with k=v. */
import { ConfigError } from '../errors.js';
import type { InventoryGraph } from './graph.js';
import { parseHostEntry } from './hostRange.js';
import { parsePythonLiteral } from '../template/pyLiteral.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  col: number;
  state: 'vars' | 'children';
  section: string;
  parents: string[];
}

export function loadIniInventory(text: string, file: string, graph: InventoryGraph): void {
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';
  // Groups referenced before their declaration; reported if never declared.
  const pending = new Map<string, Pending>();
  const lines = text.split(/\r?\n/);

  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.trim();
    const col = raw.length - raw.trimStart().length + 1;
    const fail = (message: string, hint?: string, at = col): never => {
      throw new ConfigError(message, { loc: { file, line: lineNo, col: at }, ...(hint ? { hint } : {}) });
    };
    if (!line || line.startsWith('#') || line.startsWith(';')) return;

    const m = SECTION.exec(line);
    if (m) {
      group = m[1]!;
      const kind = m[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        fail(`section [${group}:${kind}] has unknown type '${kind}'`, 'use [group], [group:vars] or [group:children]');
      }
      state = kind as typeof state;
      if (!graph.groups.has(group)) {
        // [g] or [g:children] declares a group; [g:vars] needs a declaration somewhere in the file.
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineNo, col, state, section: group, parents: [] });
        graph.addGroup(group);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') for (const p of waiting.parents) graph.addChild(p, group);
        pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[')) {
      fail(`invalid section header '${line}'`, 'section names may not contain spaces or other brackets');
    }

    if (state === 'hosts') {
      let tokens: Token[];
      try {
        tokens = shellSplit(raw);
      } catch (e) {
        return fail(`cannot parse host line: ${(e as Error).message}`);
      }
      const [first, ...rest] = tokens;
      if (!first) return;
      if (first.text.includes('=')) {
        fail(`'${first.text}' looks like a variable, not a host`, `group variables go in a [${group}:vars] section`, first.col);
      }
      let parsed: ReturnType<typeof parseHostEntry>;
      try {
        parsed = parseHostEntry(first.text);
      } catch (e) {
        return fail((e as Error).message, undefined, first.col);
      }
      const vars: Record<string, unknown> = {};
      for (const t of rest) {
        const eq = t.text.indexOf('=');
        if (eq <= 0) fail(`expected key=value host variable assignment, got '${t.text}'`, 'quote values that contain spaces', t.col);
        vars[t.text.slice(0, eq)] = parsePythonLiteral(t.text.slice(eq + 1));
      }
      for (const h of parsed.hosts) {
        graph.addHost(h, group);
        if (parsed.port !== undefined) graph.setHostVar(h, 'ansible_port', parsed.port);
        for (const [k, v] of Object.entries(vars)) graph.setHostVar(h, k, v);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value, got '${line}'`);
      graph.setGroupVar(group, line.slice(0, eq).trim(), parsePythonLiteral(line.slice(eq + 1).trim()));
    } else {
      const gm = GROUP_NAME.exec(line);
      if (!gm) return fail(`expected a group name, got '${line}'`, 'list one child group per line');
      const child = gm[1]!;
      if (graph.groups.has(child)) {
        try {
          graph.addChild(group, child);
        } catch (e) {
          throw e instanceof ConfigError ? e.at({ file, line: lineNo, col }) : e;
        }
      } else {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: lineNo, col, state: 'children', section: group, parents: [group] });
      }
    }
  });

  for (const [name, p] of pending) {
    const loc = { file, line: p.line, col: p.col };
    if (p.state === 'vars') throw new ConfigError(`section [${name}:vars] is for a group that is never declared`, { loc, hint: `declare it with [${name}] or list it under some [parent:children]` });
    throw new ConfigError(`section [${p.section}:children] includes undefined group '${name}'`, { loc, hint: `declare it with a [${name}] section` });
  }
}

interface Token {
  text: string;
  col: number;
}

/** POSIX shell-like splitting (Python's shlex with comments): quotes, backslashes, `#` comments. */
export function shellSplit(line: string): Token[] {
  const out: Token[] = [];
  let cur: string | undefined;
  let start = 0;
  let i = 0;
  const flush = (): void => {
    if (cur !== undefined) out.push({ text: cur, col: start + 1 });
    cur = undefined;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      flush();
      i++;
    } else if (c === '#') {
      break;
    } else if (c === "'" || c === '"') {
      if (cur === undefined) {
        cur = '';
        start = i;
      }
      const close = c;
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('no closing quotation');
        const d = line[i]!;
        if (d === close) break;
        if (close === '"' && d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === '$' || line[i + 1] === '`')) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      i++;
    } else {
      if (cur === undefined) {
        cur = '';
        start = i;
      }
      if (c === '\\' && i + 1 < line.length) {
        cur += line[i + 1];
        i += 2;
      } else {
        cur += c;
        i++;
      }
    }
  }
  flush();
  return out;
}
