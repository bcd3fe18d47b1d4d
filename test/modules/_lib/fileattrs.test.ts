import assert from 'node:assert/strict';
import { formatMode, planAttrs, resolveMode, validateMode } from '../../../src/modules/_lib/fileattrs.js';
import type { PathInfo } from '../../../src/modules/_lib/probe.js';

const info = (mode: number, type: PathInfo['type'] = 'file'): PathInfo => ({
  path: '/x', type, rawMode: mode, mode, uid: 0, gid: 0, owner: 'root', group: 'root', size: 0,
  atime: 0, mtime: 0, ctime: 0, inode: 1, dev: 1, nlink: 1, isLink: false,
});

describe('file attributes', () => {
  it('reads octal strings with or without a leading zero and takes ints as-is (YAML 0644 is 420)', () => {
    assert.equal(resolveMode('0644', 0o600, false), 0o644);
    assert.equal(resolveMode('644', 0o600, false), 0o644);
    assert.equal(resolveMode(420, 0o600, false), 0o644);
  });
  it('applies symbolic modes to the current mode like chmod', () => {
    assert.equal(resolveMode('u+rwx,g-w,o=r', 0o666, false), 0o744);
    assert.equal(resolveMode('a+X', 0o644, true), 0o755);
    assert.equal(resolveMode('a+X', 0o644, false), 0o644);
    assert.equal(resolveMode('g=u', 0o640, false), 0o660);
    assert.equal(resolveMode('+x', 0o644, false), 0o755);
  });
  it('rejects nonsense modes', () => {
    assert.match(validateMode('u+q') ?? '', /bad symbolic permission/);
    assert.equal(validateMode('0755'), undefined);
  });
  it('plans only the attributes that differ', () => {
    const p = planAttrs('/x', info(0o644), { mode: '0600', owner: 'root', group: '0' });
    assert.deepEqual(p.commands.map((c) => c.text), ['chmod 0600 -- /x']);
    assert.equal(formatMode(0o4755), '4755');
    assert.equal(formatMode(0o644), '0644');
  });
});
