/**
 * Records the Jinja corpus with the real ansible-playbook (ansible-core 2.14 from Debian;
 * installed when missing): one playbook per corpus file, one task per case, run with
 * `-c local` in a throwaway directory, results captured by record_callback.py and written,
 * normalized, to test/parity/golden/jinja/<file>.json (`npm run parity:record -- jinja`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenPath, loadCorpus, type Case, type CorpusFile, type Outcome } from './corpus.js';
import { normalizeOutcome } from './compare.js';
import { ensureAnsible } from '../playbooks/ansible.js';

const CALLBACK_DIR = new URL('.', import.meta.url).pathname;

function taskFor(c: Case, index: number, dir: string): Record<string, unknown> {
  const name = `${c.kind}:${index}`;
  const common = { name, ignore_errors: true, ...(c.vars ? { vars: c.vars } : {}) };
  switch (c.kind) {
    case 'expr':
      return { ...common, debug: { msg: [`{{ ${c.expr} }}`, `{{ (${c.expr}) | type_debug }}`] } };
    case 'tmpl':
      return { ...common, debug: { msg: c.tmpl } };
    case 'msg':
      return { ...common, debug: { msg: c.msg } };
    case 'file': {
      const id = c.key.slice('file:'.length);
      writeFileSync(join(dir, 'templates', `${id}.j2`), c.file);
      for (const [n, text] of Object.entries(c.files)) writeFileSync(join(dir, 'templates', n), text);
      const opts = { ...(c.trimBlocks !== undefined ? { trim_blocks: c.trimBlocks } : {}), ...(c.lstripBlocks !== undefined ? { lstrip_blocks: c.lstripBlocks } : {}) };
      return { ...common, template: { src: `${id}.j2`, dest: join(dir, 'out', id), ...opts } };
    }
  }
}

function record(file: CorpusFile): Record<string, Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-jinja-'));
  try {
    mkdirSync(join(dir, 'templates'));
    mkdirSync(join(dir, 'out'));
    const tasks = file.cases.map((c, i) => taskFor(c, i, dir));
    // JSON is YAML: Ansible reads exactly the data kelpie is given.
    const play = [{ name: file.name, hosts: 'localhost', gather_facts: false, vars: file.vars, tasks }];
    writeFileSync(join(dir, 'play.yml'), JSON.stringify(play, null, 1));
    writeFileSync(join(dir, 'hosts'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    const out = join(dir, 'results.json');
    const run = spawnSync('ansible-playbook', ['-i', 'hosts', 'play.yml'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        ANSIBLE_CONFIG: join(dir, 'none.cfg'),
        ANSIBLE_CALLBACK_PLUGINS: CALLBACK_DIR,
        ANSIBLE_CALLBACKS_ENABLED: 'record_callback',
        ANSIBLE_RETRY_FILES_ENABLED: 'false',
        ANSIBLE_NOCOLOR: '1',
        KELPIE_RECORD_OUT: out,
      },
    });
    if (run.status !== 0 && run.status !== 2) throw new Error(`ansible-playbook failed on ${file.name} (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    const raw = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Outcome>;
    const golden: Record<string, Outcome> = {};
    file.cases.forEach((c, i) => {
      const got = raw[`${c.kind}:${i}`];
      if (!got) throw new Error(`${file.name}: no result recorded for ${c.key}`);
      golden[c.key] = normalizeOutcome(got, dir);
    });
    return golden;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-records every corpus file holding a case whose id (`<file>/<key>`) matches `only`. */
export function recordJinja(only?: RegExp): void {
  ensureAnsible();
  for (const file of loadCorpus()) {
    if (only && !file.cases.some((c) => only.test(`${file.name}/${c.key}`))) continue;
    writeFileSync(goldenPath(file.name), JSON.stringify(record(file), null, 1) + '\n');
    console.log(`parity:record: jinja: ${file.cases.length} cases from ${file.name}`);
  }
}
