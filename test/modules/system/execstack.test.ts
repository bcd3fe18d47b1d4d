/**
 * execstack on real ELF files of this machine (copies in a temp dir): the PT_GNU_STACK
 * reader against readelf's view, and the flag cleared in place the way execstack -c does.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import execstack from '../../../src/modules/system/execstack.js';
import { readStackHeader, clearedFlagBytes } from '../../../src/modules/system/elfStack.js';
import { localSysContext } from '../../helpers/localSysContext.js';

const LIB = '/lib/x86_64-linux-gnu/libz.so.1';

/** A copy of a real shared object whose PT_GNU_STACK asks for an executable stack (RWE). */
function execStackCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-execstack-'));
  const path = join(dir, 'libexec.so.1');
  copyFileSync(LIB, path);
  chmodSync(path, 0o644);
  const b = readFileSync(path);
  const h = readStackHeader(b);
  assert.ok(h.kind === 'header' && !h.executable, 'the original is RW');
  b.writeUInt32LE(h.flags | 1, h.flagsOffset);
  writeFileSync(path, b);
  return path;
}

const args = (input: Record<string, unknown>) => {
  const { args: a, problems } = validateArgs(execstack.args, input);
  assert.deepEqual(problems, []);
  return a;
};

describe('execstack: clear the executable-stack flag of an ELF object', () => {
  it('reads PT_GNU_STACK of a real library (RW, not executable) and of a non-ELF file', () => {
    const h = readStackHeader(readFileSync(LIB));
    assert.ok(h.kind === 'header');
    assert.equal(h.flags, 6, 'RW');
    assert.equal(readStackHeader(Buffer.from('#!/bin/sh\n')).kind, 'not-elf');
    assert.equal(clearedFlagBytes({ kind: 'header', executable: true, flags: 7, flagsOffset: 0, littleEndian: true }), '\\006\\000\\000\\000');
  });

  it('plans RWE → RW with a diff, clears exactly the four flag bytes keeping the mode, then is ok', async () => {
    const path = execStackCopy();
    const before = readFileSync(path);
    const a = args({ path });
    const plan = await execstack.plan(localSysContext(), a);
    assert.ok(plan.kind === 'change', JSON.stringify(plan));
    assert.equal(plan.diff?.[0]?.before, 'GNU_STACK RWE\n');
    assert.equal(plan.diff?.[0]?.after, 'GNU_STACK RW\n');
    await execstack.apply!(localSysContext({ allowWrites: true }), a, plan.data!, plan);
    const after = readFileSync(path);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    const h = readStackHeader(after);
    assert.ok(h.kind === 'header' && !h.executable);
    assert.deepEqual(changed, [h.flagsOffset], 'only the PF_X bit of the flags changed');
    assert.equal(statSync(path).mode & 0o777, 0o644);
    assert.equal((await execstack.plan(localSysContext(), a)).kind, 'ok');
  });

  it('refuses a file that is not ELF, naming it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kelpie-execstack-')), 'notelf');
    writeFileSync(path, 'hello\n');
    const plan = await execstack.plan(localSysContext(), args({ path }));
    assert.ok(plan.kind === 'fail' && plan.msg.includes(path));
  });
});
