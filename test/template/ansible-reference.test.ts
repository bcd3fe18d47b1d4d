/**
 * A template rendered by ansible-core 2.14's template module (fixtures/ansible-reference.out
 * was produced by Ansible itself); kelpie must produce the same bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Templar } from '../../src/template/index.js';

const dir = new URL('./fixtures/', import.meta.url);

describe('templates render byte for byte as Ansible renders them', () => {
  it('matches the reference output line by line', () => {
    const src = readFileSync(new URL('ansible-reference.j2', dir), 'utf8');
    const want = readFileSync(new URL('ansible-reference.out', dir), 'utf8').split('\n');
    const got = new Templar().renderString(src, {}).split('\n');
    for (let i = 0; i < Math.max(want.length, got.length); i++) assert.equal(got[i], want[i], `line ${i + 1}`);
  });
});
