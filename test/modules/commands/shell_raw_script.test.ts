import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import raw from '../../../src/modules/commands/raw.js';
import script from '../../../src/modules/commands/script.js';
import shell from '../../../src/modules/commands/shell.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';
import { resultOf, runModule } from './run.js';

describe('shell module', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir('kelpie-shell-');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('interprets pipes and variables through /bin/sh and returns cmd as text', async () => {
    const o = await runModule(shell, { _raw_params: 'X=3; echo a b c | wc -w; echo "$X"' }, makeLocalContext());
    const r = resultOf(o);
    assert.equal(r.stdout, '3\n3');
    assert.deepEqual(r.stdout_lines, ['3', '3']);
    assert.equal(r.cmd, 'X=3; echo a b c | wc -w; echo "$X"');
    assert.equal(o.applied?.changed, true);
  });

  it('keeps a multi-line script intact and pulls inline creates= out of it', async () => {
    const target = path.join(dir, 'multi');
    const text = `for i in 1 2; do\n  echo "$i" >> ${target}\ndone\n# a comment\ncat ${target} creates=${target}`;
    const o = await runModule(shell, { _raw_params: text }, makeLocalContext());
    assert.equal(resultOf(o).stdout, '1\n2');
    const again = await runModule(shell, { _raw_params: text }, makeLocalContext());
    assert.equal(again.plan.kind, 'ok');
  });

  it('uses executable and chdir', async () => {
    const o = await runModule(shell, { _raw_params: 'echo "${BASH_VERSION:+bash}" $(pwd)', executable: '/bin/bash', chdir: dir }, makeLocalContext());
    assert.equal(resultOf(o).stdout, `bash ${dir}`);
  });

  it('fails on a non-zero exit and keeps the output', async () => {
    const o = await runModule(shell, { _raw_params: 'echo out; echo err >&2; exit 4' }, makeLocalContext());
    assert.equal(o.applied?.failed, true);
    assert.deepEqual([resultOf(o).rc, resultOf(o).stdout, resultOf(o).stderr], [4, 'out', 'err']);
  });

  it('is skipped in check mode and leaves the host alone', async () => {
    const target = path.join(dir, 'check');
    const o = await runModule(shell, { _raw_params: `touch ${target}` }, makeLocalContext(), { checkMode: true });
    assert.equal(o.plan.kind, 'skip');
    assert.equal(resultOf(o).rc, 0);
    await assert.rejects(fs.stat(target));
  });

  it('passes stdin', async () => {
    const o = await runModule(shell, { _raw_params: 'tr a-z A-Z', stdin: 'hello' }, makeLocalContext());
    assert.equal(resultOf(o).stdout, 'HELLO');
  });
});

describe('raw module', () => {
  it('runs the text as is, without stripping output', async () => {
    const o = await runModule(raw, { _raw_params: 'echo hi; echo there' }, makeLocalContext());
    const r = resultOf(o);
    assert.equal(r.stdout, 'hi\nthere\n');
    assert.deepEqual(r.stdout_lines, ['hi', 'there']);
    assert.equal(o.applied?.changed, true);
  });

  it('runs with executable= given inline', async () => {
    const o = await runModule(raw, { _raw_params: 'executable=/bin/bash echo ${BASH_VERSION:+bash}' }, makeLocalContext());
    assert.equal(resultOf(o).stdout, 'bash\n');
  });

  it('is skipped in check mode', async () => {
    const o = await runModule(raw, { _raw_params: 'false' }, makeLocalContext(), { checkMode: true });
    assert.equal(o.plan.kind, 'skip');
  });
});

describe('script module', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir('kelpie-script-');
    await fs.mkdir(path.join(dir, 'files'));
    await fs.writeFile(path.join(dir, 'files', 'greet.sh'), '#!/bin/sh\nfor a in "$@"; do echo "arg:$a"; done\npwd\n');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('uploads the controller file and runs it with shell-parsed arguments in chdir', async () => {
    const o = await runModule(script, { _raw_params: "greet.sh one 'two three'", chdir: '/' }, makeLocalContext({ filesDir: dir }));
    const r = resultOf(o);
    assert.equal(r.stdout, 'arg:one\narg:two three\n/\n');
    assert.equal(r.rc, 0);
    assert.equal(o.applied?.changed, true);
  });

  it('runs with an interpreter given as executable', async () => {
    const o = await runModule(script, { _raw_params: 'greet.sh x', executable: '/bin/bash', chdir: '/' }, makeLocalContext({ filesDir: dir }));
    assert.equal(resultOf(o).stdout, 'arg:x\n/\n');
  });

  it('honours creates and fails on a missing local script', async () => {
    const ok = await runModule(script, { _raw_params: `greet.sh creates=${dir}` }, makeLocalContext({ filesDir: dir }));
    // Ansible's script action skips, in its words
    assert.deepEqual(ok.plan, { kind: 'skip', msg: `${dir} exists, matching creates option` });
    const missing = await runModule(script, { _raw_params: 'nope.sh' }, makeLocalContext({ filesDir: dir }));
    assert.equal(missing.plan.kind, 'fail');
  });

  it('is skipped in check mode', async () => {
    const o = await runModule(script, { _raw_params: 'greet.sh' }, makeLocalContext({ filesDir: dir }), { checkMode: true });
    assert.equal(o.plan.kind, 'skip');
  });
});
