/**
 * Runs a corpus case through kelpie's production templating, the way the executor does:
 * task arguments through Templar.renderDeep and omit removal, template files the way the
 * template module renders them. The outcome has the same shape as a recorded golden.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Templar } from '../../../src/template/index.js';
import { typeName } from '../../../src/template/pyvalue.js';
import { dropOmitted, omitToken } from '../../../src/executor/vars.js';
import { templateFileVars, templateIncludeDirs } from '../../../src/template/templateFile.js';
import type { Case, CorpusFile, Outcome } from './corpus.js';
import { normalizeOutcome } from './compare.js';

/** The magic variables Ansible sets for `-i localhost, -c local` that the corpus reads. */
function magicVars(): Record<string, unknown> {
  return {
    omit: omitToken(),
    inventory_hostname: 'localhost',
    inventory_hostname_short: 'localhost',
    groups: { all: ['localhost'], ungrouped: ['localhost'] },
    group_names: ['ungrouped'],
    ansible_check_mode: false,
    ansible_connection: 'local',
  };
}

function jsonData(v: unknown): unknown {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
}

function failure(e: unknown): Outcome {
  return { error: e instanceof Error ? e.message : String(e) };
}

function runArgs(templar: Templar, c: Case, msg: unknown, vars: Record<string, unknown>): Outcome {
  const args = dropOmitted(templar.renderDeep({ msg }, vars)) as { msg: unknown };
  if (c.kind === 'expr') {
    const [value, jtype] = args.msg as [unknown, unknown];
    return { value: jsonData(value), type: typeName(value), jtype: String(jtype) };
  }
  return { value: jsonData(args.msg), type: typeName(args.msg) };
}

export function runCase(templar: Templar, file: CorpusFile, c: Case, dir: string): Outcome {
  const vars = { ...file.vars, ...(c.vars ?? {}), ...magicVars() };
  try {
    switch (c.kind) {
      case 'expr':
        return runArgs(templar, c, [`{{ ${c.expr} }}`, `{{ (${c.expr}) | type_debug }}`], vars);
      case 'tmpl':
        return runArgs(templar, c, c.tmpl, vars);
      case 'msg':
        return runArgs(templar, c, c.msg, vars);
      case 'file': {
        // the same layout as the recording: <dir>/templates/<id>.j2 rendered to <dir>/out/<id>
        const id = c.key.slice('file:'.length);
        const src = join(dir, 'templates', `${id}.j2`);
        writeFileSync(src, c.file);
        for (const [n, text] of Object.entries(c.files)) writeFileSync(join(dir, 'templates', n), text);
        const fileVars = templateFileVars({ src: `${id}.j2`, fullpath: src, dest: join(dir, 'out', id) });
        const text = templar.renderString(c.file, { ...vars, ...fileVars }, undefined, {
          trimBlocks: c.trimBlocks ?? true,
          lstripBlocks: c.lstripBlocks ?? false,
          includeDirs: templateIncludeDirs(src, [dir]),
        });
        return { value: text, type: 'str' };
      }
    }
  } catch (e) {
    return failure(e);
  }
}

/** Every case of a corpus file through kelpie, normalized like the goldens. */
export function runCorpusFile(file: CorpusFile): Record<string, Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-jinja-'));
  mkdirSync(join(dir, 'templates'));
  try {
    const templar = new Templar({ baseDir: dir });
    const out: Record<string, Outcome> = {};
    for (const c of file.cases) out[c.key] = normalizeOutcome(runCase(templar, file, c, dir), dir);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
