/**
 * The bad-input corpus: every file under test/fixtures/bad-input/ is a mistake a user makes
 * (playbooks, inventories, templates, ansible.cfg files, vars files). cases.yaml says how
 * each one is fed to kelpie, where the error must point and what it must say. No case may
 * show an internal error text: a JS exception message, a stack frame, NaN or a bare
 * "undefined" means kelpie crashed on the input instead of explaining it.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runCli } from '../helpers/runCli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/bad-input');

interface Case {
  file: string;
  /** syntax: --syntax-check; run: a real run on localhost; inventory: `inventory --list`;
   *  cfg: the file as ANSIBLE_CONFIG; vars: `-e @file`; template: rendered by lookup('template'). */
  how: 'syntax' | 'run' | 'inventory' | 'cfg' | 'vars' | 'template';
  /** line:col the message must be pinned to, in `file` unless `in` names another fixture. */
  at?: string;
  in?: string;
  says: string;
  code: number;
}

const INTERNAL = [
  /Cannot read propert/,
  /is not a function/,
  /is not iterable/,
  /Maximum call stack/,
  /\bNaN\b/,
  /\[object Object\]/,
  /(?<!is |are |was |an )\bundefined\b/, // 'x' is undefined, Ansible's 'includes an undefined variable'
  /^\s+at .+:\d+:\d+\)?$/m,
  /\(node:\d+\)/, // a Node warning printed to the terminal
];

function argvFor(c: Case, path: string): { argv: string[]; env?: NodeJS.ProcessEnv } {
  const helper = (f: string): string => join(ROOT, '_helpers', f);
  switch (c.how) {
    case 'syntax':
      return { argv: ['playbook', '--syntax-check', path, '-i', 'localhost,'] };
    case 'run':
      return { argv: ['playbook', path, '-i', 'localhost,'] };
    case 'inventory':
      return { argv: ['inventory', '-i', path, '--list'] };
    case 'cfg':
      return { argv: ['playbook', helper('ok.yaml'), '-i', 'localhost,'], env: { ANSIBLE_CONFIG: path } };
    case 'vars':
      return { argv: ['playbook', helper('ok.yaml'), '-i', 'localhost,', '-e', `@${path}`] };
    case 'template':
      return { argv: ['playbook', helper('render-template.yaml'), '-i', 'localhost,', '-e', `tpl=${path}`, '-e', 'name=kelpie'] };
  }
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

// issue 9 asks for at least 100 bad inputs
const MIN_CASES = 100;
const cases = parse(readFileSync(join(ROOT, 'cases.yaml'), 'utf8')) as Case[];

describe('bad-input corpus: every mistake gets a located, clear error', function () {
  this.timeout(30_000);

  it('has at least 100 cases, and every fixture file is a case or a helper', () => {
    assert.ok(cases.length >= MIN_CASES, `only ${cases.length} cases`);
    const listed = new Set(cases.flatMap((c) => [c.file, ...(c.in ? [c.in] : [])]));
    const files = allFiles(ROOT).map((f) => relative(ROOT, f)).filter((f) => f !== 'cases.yaml' && !f.startsWith('_helpers/') && !f.includes('/_'));
    assert.deepEqual(files.filter((f) => !listed.has(f)), [], 'fixtures without a case');
  });

  for (const c of cases) {
    it(`${c.file}: ${c.says}`, async () => {
      const path = join(ROOT, c.file);
      const { argv, env } = argvFor(c, path);
      const r = await runCli(argv, { cwd: dirname(path), ...(env ? { env } : {}) });
      const text = r.err + r.out;
      assert.equal(r.code, c.code, text);
      const where = c.at ? `${join(ROOT, c.in ?? c.file)}:${c.at}: ` : '';
      // messages that name a fixture's absolute path say <fixtures>/ in cases.yaml, so any checkout passes
      const says = c.says.replaceAll('<fixtures>/', `${ROOT}/`);
      const line = text.split('\n').find((l) => l.includes(says));
      assert.ok(line, `'${says}' not in:\n${text}`);
      if (where) assert.ok(line.includes(where), `not pinned to ${where}:\n${line}`);
      for (const bad of INTERNAL) assert.doesNotMatch(text, bad, 'an internal error text reached the user');
    });
  }
});
