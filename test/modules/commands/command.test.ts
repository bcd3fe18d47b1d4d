import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import command from '../../../src/modules/commands/command.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';
import { resultOf, runModule } from './run.js';

describe('command module', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir('kelpie-command-');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs free-form text split into words, with Ansible result fields', async () => {
    const o = await runModule(command, { _raw_params: "printf '%s|' 'a b' c" }, makeLocalContext());
    const r = resultOf(o);
    assert.equal(o.applied?.changed, true);
    assert.equal(o.applied?.failed, undefined);
    assert.equal(r.stdout, 'a b|c|');
    assert.deepEqual(r.cmd, ['printf', '%s|', 'a b', 'c']);
    assert.equal(r.rc, 0);
    assert.deepEqual(r.stdout_lines, ['a b|c|']);
    assert.equal(r.stderr, '');
    assert.match(String(r.start), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.match(String(r.delta), /^\d+:\d\d:\d\d\.\d{6}$/);
  });

  it('passes shell syntax to the program literally (no shell)', async () => {
    const o = await runModule(command, { _raw_params: 'echo $(id) ; ls | wc `x` *' }, makeLocalContext());
    assert.equal(resultOf(o).stdout, '$(id) ; ls | wc `x` *');
  });

  it('expands $VAR and ~ like expand_argument_vars, leaves unset vars as written', async () => {
    const o = await runModule(command, { _raw_params: 'echo $HOME ${HOME}/x $KELPIE_SURELY_UNSET ${KELPIE_SURELY_UNSET} ~' }, makeLocalContext());
    const home = process.env.HOME!;
    assert.equal(resultOf(o).stdout, `${home} ${home}/x $KELPIE_SURELY_UNSET \${KELPIE_SURELY_UNSET} ${home}`);
    const off = await runModule(command, { _raw_params: 'echo $HOME', expand_argument_vars: false }, makeLocalContext());
    assert.equal(resultOf(off).stdout, '$HOME');
  });

  it('takes argv without splitting', async () => {
    const o = await runModule(command, { argv: ['printf', '%s\\n', 'a;b c'] }, makeLocalContext());
    assert.equal(resultOf(o).stdout, 'a;b c');
  });

  it('fails with rc and "non-zero return code" when the program fails', async () => {
    const o = await runModule(command, { _raw_params: 'sh -c "echo oops >&2; exit 3"' }, makeLocalContext());
    assert.equal(o.applied?.failed, true);
    assert.equal(o.applied?.msg, 'non-zero return code');
    assert.equal(resultOf(o).rc, 3);
    assert.equal(resultOf(o).stderr, 'oops');
    assert.deepEqual(resultOf(o).stderr_lines, ['oops']);
  });

  it('reports a missing program as Ansible does ([Errno 2], rc 2)', async () => {
    const o = await runModule(command, { _raw_params: 'kelpie-no-such-program arg' }, makeLocalContext());
    assert.equal(o.applied?.failed, true);
    assert.equal(o.applied?.msg, "[Errno 2] No such file or directory: b'kelpie-no-such-program'");
    assert.equal(resultOf(o).rc, 2);
  });

  it('runs in chdir, also given inline (pwd chdir=...)', async () => {
    const a = await runModule(command, { _raw_params: 'pwd', chdir: dir }, makeLocalContext());
    assert.equal(resultOf(a).stdout, dir);
    const b = await runModule(command, { _raw_params: `pwd chdir=${dir}` }, makeLocalContext());
    assert.equal(resultOf(b).stdout, dir);
    const c = await runModule(command, { _raw_params: 'pwd', chdir: path.join(dir, 'missing') }, makeLocalContext());
    assert.equal(c.applied?.failed, true);
    assert.match(String(c.applied?.msg), /^Unable to change directory before execution/);
  });

  it('does not run when creates matches (glob, relative to chdir) and reports rc 0', async () => {
    await fs.writeFile(path.join(dir, 'made.txt'), 'x');
    const log: string[] = [];
    const o = await runModule(command, { _raw_params: 'touch never', creates: '*.txt', chdir: dir }, makeLocalContext({ commandLog: log }));
    assert.equal(o.plan.kind, 'ok');
    assert.equal(o.applied, undefined);
    const r = resultOf(o);
    assert.equal(r.rc, 0);
    assert.equal(r.stdout, `skipped, since ${dir}/*.txt exists`);
    assert.equal((o.plan as { msg?: string }).msg, `Did not run command since '${dir}/*.txt' exists`);
    await assert.rejects(fs.stat(path.join(dir, 'never')));
  });

  it('runs when creates is missing, and skips when removes is missing', async () => {
    const target = path.join(dir, 'created');
    const o = await runModule(command, { _raw_params: `touch ${target}`, creates: target }, makeLocalContext());
    assert.equal(o.applied?.changed, true);
    await fs.stat(target);
    const again = await runModule(command, { _raw_params: `touch ${target}`, creates: target }, makeLocalContext());
    assert.equal(again.plan.kind, 'ok');
    const rm = await runModule(command, { _raw_params: `rm ${target}.nope`, removes: `${target}.nope` }, makeLocalContext());
    assert.equal(rm.plan.kind, 'ok');
    assert.equal(resultOf(rm).stdout, `skipped, since ${target}.nope does not exist`);
  });

  it('in check mode is skipped with empty output and rc 0, and runs nothing', async () => {
    const target = path.join(dir, 'check-mode');
    const o = await runModule(command, { _raw_params: `touch ${target}` }, makeLocalContext(), { checkMode: true });
    assert.equal(o.plan.kind, 'skip');
    assert.equal((o.plan as { msg: string }).msg, 'Command would have run if not in check mode');
    const r = resultOf(o);
    assert.deepEqual([r.rc, r.stdout, r.stderr, r.stdout_lines, r.stderr_lines], [0, '', '', [], []]);
    await assert.rejects(fs.stat(target));
  });

  it('in check mode with creates missing reports the change it would make', async () => {
    const target = path.join(dir, 'check-creates');
    const o = await runModule(command, { _raw_params: `touch ${target}`, creates: target }, makeLocalContext(), { checkMode: true });
    assert.equal(o.plan.kind, 'change');
    await assert.rejects(fs.stat(target));
  });

  it('feeds stdin (with a newline by default) and strips empty ends unless asked not to', async () => {
    const a = await runModule(command, { _raw_params: 'od -c', stdin: 'ab' }, makeLocalContext());
    assert.match(String(resultOf(a).stdout), /a\s+b\s+\\n/);
    const b = await runModule(command, { _raw_params: 'printf "x\\n\\n"', strip_empty_ends: false }, makeLocalContext());
    assert.equal(resultOf(b).stdout, 'x\n\n');
  });

  it('rejects a missing command and an unclosed quote before running', () => {
    assert.match(String(command.check?.({ stdin_add_newline: true, strip_empty_ends: true, expand_argument_vars: true } as never)), /no command/);
    assert.match(String(command.check?.({ _raw_params: "echo 'oops", stdin_add_newline: true, strip_empty_ends: true, expand_argument_vars: true } as never)), /closing quotation/);
  });
});
