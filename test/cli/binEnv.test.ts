/**
 * restoreDeferredEnv: what the bin's sh launcher moved aside for Node's start is put back as the
 * user had it (test/cli/snapshot.test.ts runs it through the bin).
 */
import assert from 'node:assert/strict';
import { restoreDeferredEnv } from '../../src/cli/binEnv.js';

describe('restoreDeferredEnv (the environment the bin changed for Node, put back)', () => {
  it('puts NODE_EXTRA_CA_CERTS back from KELPIE_NODE_EXTRA_CA_CERTS', () => {
    const env: NodeJS.ProcessEnv = { KELPIE_NODE_EXTRA_CA_CERTS: '/etc/ca.pem' };
    restoreDeferredEnv(env);
    assert.deepEqual(env, { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
  });

  it("gives GLIBC_TUNABLES the user's value, an empty one too", () => {
    for (const value of ['glibc.malloc.check=0', '']) {
      const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', KELPIE_GLIBC_TUNABLES: `=${value}` };
      restoreDeferredEnv(env);
      assert.deepEqual(env, { GLIBC_TUNABLES: value });
    }
  });

  it('removes GLIBC_TUNABLES when the user had none', () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', KELPIE_GLIBC_TUNABLES: '', HOME: '/root' };
    restoreDeferredEnv(env);
    assert.deepEqual(env, { HOME: '/root' });
  });

  it('changes nothing when kelpie was not started by the bin', () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.check=0', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' };
    restoreDeferredEnv(env);
    assert.deepEqual(env, { GLIBC_TUNABLES: 'glibc.malloc.check=0', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
  });
});
