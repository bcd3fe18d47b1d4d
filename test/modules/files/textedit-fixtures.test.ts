import assert from 'node:assert/strict';
import blockinfile from '../../../src/modules/files/blockinfile.js';
import replace from '../../../src/modules/files/replace.js';
import { loadFixtures } from '../../fixtures/modules/capture.js';
import type { AnyModule } from '../../../src/modules/types.js';
import { runFixture } from './runFixture.js';

for (const [name, mod] of [['blockinfile', blockinfile], ['replace', replace]] as const) {
  describe(`${name} matches captured Ansible results`, () => {
    for (const fx of loadFixtures(name)) {
      it(`${fx.name}: ${fx.expected.failed ? 'fails' : fx.expected.changed ? 'changes' : 'is ok'} like Ansible`, async () => {
        const got = await runFixture(mod as unknown as AnyModule, fx);
        assert.equal(got.failed, fx.expected.failed, `failed (msg: ${got.msg})`);
        assert.equal(got.msg, fx.expected.msg);
        if (!fx.expected.failed) assert.equal(got.changed, fx.expected.changed);
        assert.equal(got.output, fx.expected.output);
        assert.equal(got.backup !== undefined, fx.expected.backup);
      });
    }
  });
}
