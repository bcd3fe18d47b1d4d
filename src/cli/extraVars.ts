/** -e key=value, -e @vars.yaml, -e '{"json": true}' — later ones win, like Ansible. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFreeForm } from '../playbook/index.js';
import { KelpieError } from '../errors.js';
import { decodeUtf8, loadYaml11 } from '../yaml11.js';
import { UsageError } from './parser.js';

export function parseExtraVars(items: string[], cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const text = item.trim();
    if (text.startsWith('@')) {
      const file = resolve(cwd, text.slice(1));
      let data: unknown;
      try {
        data = loadYaml11(decodeUtf8(readFileSync(file), file), file);
      } catch (e) {
        if (e instanceof KelpieError) throw e;
        throw new UsageError(`cannot read extra vars file ${file}: ${(e as Error).message}`);
      }
      if (data && typeof data === 'object' && !Array.isArray(data)) Object.assign(out, data);
      else throw new UsageError(`extra vars file ${file} must hold a mapping`);
    } else if (text.startsWith('{')) {
      const data: unknown = loadYaml11(text, '--extra-vars');
      if (data && typeof data === 'object') Object.assign(out, data);
      else throw new UsageError(`invalid extra vars: ${text}`);
    } else {
      const { params, rest } = parseFreeForm(text);
      if (rest.trim()) throw new UsageError(`invalid extra vars '${rest.trim()}'`, 'use key=value, @file.yaml or a JSON/YAML mapping');
      Object.assign(out, params);
    }
  }
  return out;
}
