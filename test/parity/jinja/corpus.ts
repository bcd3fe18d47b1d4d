/**
 * The Jinja parity corpus: test/parity/jinja/corpus/*.yaml, each a list of cases sharing
 * play-level vars. A case is one of
 *   - a string or `{expr}`: an expression, templated as `"{{ expr }}"` (value and the type
 *     it has after templating) and as `"{{ (expr) | type_debug }}"` (its type inside Jinja);
 *   - `{tmpl}`: a playbook string with text around or between the expressions;
 *   - `{msg}`: any YAML structure holding templates, as a task argument (omit, nesting);
 *   - `{file, id}`: a template file rendered by the template module, with optional extra
 *     `files` it includes or imports and the module's `trim_blocks`/`lstrip_blocks`.
 * Any case may carry task-level `vars`, and `deviation: <id>` with `kelpie: {path: value}`
 * for a difference documented in docs/deviations.md (test/parity/README.md). Both Ansible (record.ts) and kelpie (run.ts) read
 * the same parsed data, so YAML 1.1/1.2 differences cannot creep into the comparison.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';

export const CORPUS_DIR = new URL('./corpus/', import.meta.url);
export const GOLDEN_DIR = new URL('../golden/jinja/', import.meta.url);

type Vars = Record<string, unknown>;

/** What every case may carry besides its text: task vars, a documented deviation. */
interface CaseCommon {
  key: string;
  vars?: Vars;
  /** a `## <id>` of docs/deviations.md, with kelpie's values at the differing paths */
  deviation?: string;
  kelpie?: Record<string, unknown>;
}

export type Case = CaseCommon &
  (
    | { kind: 'expr'; expr: string }
    | { kind: 'tmpl'; tmpl: string }
    | { kind: 'msg'; msg: unknown }
    | { kind: 'file'; file: string; files: Record<string, string>; trimBlocks?: boolean; lstripBlocks?: boolean }
  );

export interface CorpusFile {
  /** e.g. `filters` for corpus/filters.yaml */
  name: string;
  vars: Vars;
  cases: Case[];
}

/** What one case produced: a value (with types) or an error. */
export interface Outcome {
  value?: unknown;
  /** Python type of the value after templating. */
  type?: string;
  /** `type_debug` of the expression inside Jinja (expr cases only). */
  jtype?: string;
  error?: string;
  /** Last line of the Python exception, when Ansible reports one instead of a message. */
  exception?: string;
}

function toCase(raw: unknown, where: string): Case {
  if (typeof raw === 'string') return { kind: 'expr', key: `expr:${raw}`, expr: raw };
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: a case is a string or a mapping`);
  const r = raw as Record<string, unknown>;
  const vars = r['vars'] as Vars | undefined;
  const extra = {
    ...(vars ? { vars } : {}),
    ...(typeof r['deviation'] === 'string' ? { deviation: r['deviation'], kelpie: r['kelpie'] as Record<string, unknown> } : {}),
  };
  const id = r['id'] === undefined ? undefined : String(r['id']);
  // the key names the case: its id, or its text (with its vars, when it has some)
  const key = (kind: string, text: string): string => `${kind}:${id ?? text + (vars ? ` ${JSON.stringify(vars)}` : '')}`;
  if (typeof r['expr'] === 'string') return { kind: 'expr', key: key('expr', r['expr']), expr: r['expr'], ...extra };
  if (typeof r['tmpl'] === 'string') return { kind: 'tmpl', key: key('tmpl', r['tmpl']), tmpl: r['tmpl'], ...extra };
  if ('msg' in r) return { kind: 'msg', key: key('msg', JSON.stringify(r['msg'])), msg: r['msg'], ...extra };
  if (typeof r['file'] === 'string') {
    if (!id || !/^[\w.-]+$/.test(id)) throw new Error(`${where}: a file case needs an id made of letters, digits, '.', '_' or '-'`);
    return {
      kind: 'file',
      key: `file:${id}`,
      file: r['file'],
      files: (r['files'] as Record<string, string> | undefined) ?? {},
      ...(r['trim_blocks'] !== undefined ? { trimBlocks: Boolean(r['trim_blocks']) } : {}),
      ...(r['lstrip_blocks'] !== undefined ? { lstripBlocks: Boolean(r['lstrip_blocks']) } : {}),
      ...extra,
    };
  }
  throw new Error(`${where}: a case needs expr, tmpl, msg or file`);
}

export function loadCorpusFile(path: string): CorpusFile {
  const doc = parse(readFileSync(path, 'utf8')) as { vars?: Vars; cases?: unknown[] };
  const name = basename(path).replace(/\.ya?ml$/, '');
  const cases = (doc.cases ?? []).map((c, i) => toCase(c, `${name} case ${i + 1}`));
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.key)) throw new Error(`${name}: duplicate case ${c.key}`);
    seen.add(c.key);
  }
  return { name, vars: doc.vars ?? {}, cases };
}

export function loadCorpus(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => loadCorpusFile(new URL(f, CORPUS_DIR).pathname));
}

export function goldenPath(name: string): string {
  return new URL(`${name}.json`, GOLDEN_DIR).pathname;
}
