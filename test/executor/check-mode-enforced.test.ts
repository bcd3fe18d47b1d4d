/**
 * Check mode is enforced at run time: plan() gets a frozen view with only read operations,
 * and the one rule that turns a failure into 'cannot verify' is the executor's.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunEvent, type TaskHostResult } from '../../src/index.js';
import { loadModules } from '../../src/modules/index.js';
import { registerModules } from '../../src/modules/registry.js';
import { defineModule, type WriteContext } from '../../src/modules/types.js';

const WRITES = ['exec', 'writeFile', 'tempFile'] as const;

/** A module whose plan tries every way to write that a WriteContext would offer. */
const planTriesToWrite = defineModule({
  name: 'kelpie_test_plan_tries_to_write',
  args: { path: { type: 'str', required: true } },
  async plan(ctx, a) {
    const sneaky = ctx as unknown as Partial<WriteContext>;
    const attempts: Record<string, string> = {};
    for (const m of WRITES) {
      try {
        if (m === 'exec') await sneaky.exec!({ text: `touch ${a.path}` } as never);
        else if (m === 'writeFile') await sneaky.writeFile!(a.path, 'written by plan()');
        else await sneaky.tempFile!('x');
        attempts[m] = 'succeeded';
      } catch (e) {
        attempts[m] = (e as Error).constructor.name;
      }
    }
    try {
      (sneaky as Record<string, unknown>).exec = () => undefined;
      attempts.addExec = 'succeeded';
    } catch (e) {
      attempts.addExec = (e as Error).constructor.name;
    }
    return { kind: 'ok', result: { attempts, frozen: Object.isFrozen(ctx), writeMembers: WRITES.filter((m) => m in ctx) } };
  },
});

/** A module whose plan fails the way a package's own earlier step would explain. */
const failsUntilOwnChange = defineModule({
  name: 'kelpie_test_fails_until_own_change',
  args: {},
  async plan() {
    return { kind: 'fail', msg: 'thing not found', afterOwnChange: 'the refresh this task does first' };
  },
  async apply() {
    return { changed: true };
  },
});

/** A module whose plan cannot know the mode, and declares what check mode reports instead of its change. */
const declaresCheckMode = defineModule({
  name: 'kelpie_test_declares_check_mode',
  args: {},
  plan: (ctx) => Promise.resolve({ kind: 'change', result: { modeVisible: 'checkMode' in ctx }, inCheckMode: { kind: 'skip', msg: 'not predictable' } }),
  apply: () => Promise.resolve({ changed: true, result: { ran: true } }),
});

/** A module Ansible skips in check mode before looking at anything: its plan must not run there. */
const skippedInCheckMode = defineModule({
  name: 'kelpie_test_skipped_in_check_mode',
  args: {},
  checkModeSkip: { msg: 'check mode not supported here' },
  plan: () => Promise.resolve({ kind: 'fail', msg: 'plan() ran' }),
});

async function results(playbook: string, checkMode: boolean): Promise<TaskHostResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-check-'));
  writeFileSync(join(dir, 'pb.yaml'), playbook);
  const events: RunEvent[] = [];
  for await (const e of run({ playbooks: [join(dir, 'pb.yaml')], checkMode })) events.push(e);
  return events.flatMap((e) => (e.type === 'host_result' ? [e.result] : []));
}

describe('check mode is enforced at run time', () => {
  before(() => {
    loadModules();
    registerModules([planTriesToWrite, failsUntilOwnChange, declaresCheckMode, skippedInCheckMode]);
  });

  it('plan() gets a frozen context without exec, writeFile or tempFile: a plan that casts its type away still cannot write', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'kelpie-plan-')), 'must-not-exist');
    // not check mode: even when the run may change the host, plan() cannot
    const [r] = await results(`- hosts: localhost\n  gather_facts: false\n  tasks:\n    - kelpie_test_plan_tries_to_write: { path: ${target} }\n`, false);
    assert.equal(r?.status, 'ok', JSON.stringify(r));
    assert.deepEqual(r.result.writeMembers, []);
    assert.equal(r.result.frozen, true);
    assert.deepEqual(r.result.attempts, { exec: 'TypeError', writeFile: 'TypeError', tempFile: 'TypeError', addExec: 'TypeError' });
    assert.equal(existsSync(target), false);
  });

  it("plan() cannot tell the mode: what check mode reports differently is the module's declaration, applied by the executor", async () => {
    const pb = '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - kelpie_test_declares_check_mode: {}\n    - kelpie_test_skipped_in_check_mode: {}\n';
    const [declared, skipped] = await results(pb, true);
    assert.deepEqual([declared?.status, declared?.result.msg], ['skipped', 'not predictable']);
    assert.deepEqual([skipped?.status, skipped?.result.msg], ['skipped', 'check mode not supported here']);
    const [real, failed] = await results(pb, false);
    assert.deepEqual([real?.status, real?.result.modeVisible, real?.result.ran], ['changed', false, true]);
    assert.deepEqual([failed?.status, failed?.result.msg], ['failed', 'plan() ran']);
  });

  it("a failure the task's own first step may remove is 'cannot verify' in check mode, and a failure in a real run", async () => {
    const pb = '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - kelpie_test_fails_until_own_change: {}\n';
    const [check] = await results(pb, true);
    assert.equal(check?.status, 'changed');
    assert.equal(check.checkUnknown, true);
    assert.equal(check.result.msg, 'would change, cannot verify: depends on the refresh this task does first (now: thing not found)');
    const [real] = await results(pb, false);
    assert.equal(real?.status, 'failed');
    assert.equal(real.result.msg, 'thing not found');
  });

  it("a looped task whose items check mode cannot verify is marked 'cannot verify' as a whole, its registered value unchanged", async () => {
    const pb = '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - kelpie_test_fails_until_own_change: {}\n      loop: [a, b]\n';
    const [check] = await results(pb, true);
    assert.equal(check?.status, 'changed');
    assert.equal(check.checkUnknown, true);
    assert.equal(check.result.check_unknown, undefined);
    const [real] = await results(pb, false);
    assert.equal(real?.status, 'failed');
    assert.equal(real.checkUnknown, undefined);
  });
});
