/**
 * The playbook corpus: test/parity/playbooks/cases/<area>/<file>.yaml, each a list of cases
 * (format in test/parity/README.md). Read with kelpie's playbook YAML loader (PyYAML's YAML 1.1 booleans), as Ansible reads playbooks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../../src/playbook/source.js';
import type { Expectation } from '../verdict.js';

export type Mode = 'normal' | 'check' | 'diff' | 'checkdiff';
export const modeFlags: Record<Mode, string[]> = { normal: [], check: ['--check'], diff: ['--diff'], checkdiff: ['--check', '--diff'] };

export interface PlaybookCase extends Expectation {
  id: string;
  /** file:index, for messages */
  origin: string;
  modes: Mode[];
  /** files written under the case's directory `{{ d }}` before each run: relative path → content */
  files: Record<string, string>;
  /** the case's plays; a case given as `tasks:` becomes one play */
  plays: Record<string, unknown>[];
  /** own inventory (hosts and groups): the case then runs in an ansible-playbook run of its own */
  inventory?: { hosts: string[]; groups?: Record<string, string[]>; vars?: Record<string, Record<string, unknown>> };
}

const PLAY_KEYS = ['vars', 'handlers', 'pre_tasks', 'post_tasks', 'roles', 'serial', 'max_fail_percentage', 'any_errors_fatal', 'strategy', 'ignore_errors', 'environment', 'vars_files', 'become', 'check_mode', 'diff'];

export function casesDir(area: string): string {
  return join(import.meta.dirname, 'cases', area);
}

export function caseFiles(area: string): string[] {
  return readdirSync(casesDir(area)).filter((f) => f.endsWith('.yaml')).sort().map((f) => f.replace(/\.yaml$/, ''));
}

export function loadCases(area: string, file: string): PlaybookCase[] {
  const path = join(casesDir(area), `${file}.yaml`);
  const { source, errors } = parseYaml(path, readFileSync(path, 'utf8'));
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  const raw = source.js(source.root) as { cases: Record<string, unknown>[] };
  const seen = new Set<string>();
  return raw.cases.map((c, i) => {
    const id = String(c.id);
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) throw new Error(`${area}/${file}.yaml case ${i}: id '${id}' must be lowercase [a-z0-9_-]`);
    if (seen.has(id)) throw new Error(`${area}/${file}.yaml: duplicate case id '${id}'`);
    seen.add(id);
    const plays = (c.plays as Record<string, unknown>[] | undefined) ?? [
      {
        name: id,
        hosts: 'all',
        ...Object.fromEntries(PLAY_KEYS.filter((k) => k in c).map((k) => [k, c[k]])),
        tasks: c.tasks,
      },
    ];
    return {
      id,
      origin: `${area}/${file}.yaml#${i}`,
      modes: (c.modes as Mode[] | undefined) ?? ['normal'],
      files: (c.files as Record<string, string> | undefined) ?? {},
      plays: plays.map((p) => ({ gather_facts: false, ...p })),
      inventory: c.inventory as PlaybookCase['inventory'],
      deviation: c.deviation as string | undefined,
      kelpie: c.kelpie as Record<string, unknown> | undefined,
      gap: c.gap as string | undefined,
    };
  });
}
