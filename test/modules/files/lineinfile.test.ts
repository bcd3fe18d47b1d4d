import assert from 'node:assert/strict';
import lineinfile from '../../../src/modules/files/lineinfile.js';
import { loadFixtures } from '../../fixtures/modules/capture.js';
import type { AnyModule, ReadContext } from '../../../src/modules/types.js';
import { validateArgs } from '../../../src/modules/argspec.js';
import { makeLocalContext } from '../../helpers/localContext.js';
import { runFixture } from './runFixture.js';

const mod = lineinfile as unknown as AnyModule;

describe('lineinfile matches captured Ansible results', () => {
  for (const fx of loadFixtures('lineinfile')) {
    it(`${fx.name}: ${fx.expected.failed ? 'fails' : fx.expected.changed ? 'changes' : 'is ok'} like Ansible`, async () => {
      const got = await runFixture(mod, fx);
      assert.equal(got.failed, fx.expected.failed, `failed (msg: ${got.msg})`);
      assert.equal(got.msg, fx.expected.msg);
      if (!fx.expected.failed) assert.equal(got.changed, fx.expected.changed);
      assert.equal(got.output, fx.expected.output);
      assert.equal(got.backup !== undefined, fx.expected.backup);
      if (fx.expected.extra?.found !== undefined) assert.equal(got.result.found, fx.expected.extra.found);
    });
  }

  it('check mode plans the change but leaves the file alone', async () => {
    const got = await runFixture(mod, { args: { path: '@FILE@', line: 'c' }, input: 'a\n' }, { checkMode: true });
    assert.equal(got.changed, true);
    assert.equal(got.output, 'a\n');
    assert.equal(got.plan?.kind, 'change');
    if (got.plan?.kind === 'change') assert.deepEqual([got.plan.diff?.[0]?.before, got.plan.diff?.[0]?.after], ['a\n', 'a\nc\n']);
  });

  it('check mode after a simulated package install: a missing file is "would change, cannot verify", not a one-line creation', async () => {
    const { args } = validateArgs(lineinfile.args, { path: '/nonexistent-kelpie/etc/default/spamass-milter', line: 'OPTIONS="${OPTIONS} -r 5"', create: true });
    const base = makeLocalContext({ diffMode: true });
    const afterInstall = Object.assign(Object.create(base) as ReadContext, { simulatedInstalls: ['spamass-milter', 'postfix'] });
    const plan = await lineinfile.plan(afterInstall, args);
    assert.equal(plan.kind, 'unknown');
    if (plan.kind === 'unknown') {
      assert.match(plan.reason, /^\/nonexistent-kelpie\/etc\/default\/spamass-milter does not exist yet, and packages an earlier task would install \(spamass-milter, postfix\) may ship it$/);
      assert.equal(plan.diff, undefined);
    }
    // nothing installed earlier: creating the file is certain, and the diff shows it
    const certain = await lineinfile.plan(base, args);
    assert.equal(certain.kind, 'change');
    if (certain.kind === 'change') assert.equal(certain.diff?.[0]?.after, 'OPTIONS="${OPTIONS} -r 5"\n');
  });

  it('names backups like Ansible: path.PID.YYYY-MM-DD@HH:MM:SS~', async () => {
    const got = await runFixture(mod, { args: { path: '@FILE@', line: 'c', backup: true }, input: 'a\n' });
    assert.match(got.backup ?? '', /target\.txt\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  });

  it('reports mode changes together with content changes', async () => {
    const got = await runFixture(mod, { args: { path: '@FILE@', line: 'c', mode: '0600' }, input: 'a\n' });
    assert.equal(got.msg, 'line added and ownership, perms or SE linux context changed');
  });
});
