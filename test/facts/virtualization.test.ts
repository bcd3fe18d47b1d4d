/**
 * kelpie's virtualization facts against Ansible 2.14's. Recorded: the raw output of kelpie's
 * script and Ansible's setup facts, taken on the same machine at the same moment
 * (test/fixtures/virtualization/record.sh). Hand-written: inputs we cannot record here
 * (Xen, podman, s390...); their expected facts are what Ansible's own LinuxVirtual code
 * returns on the host state the input describes (oracle.py --write, run with ansible-core 2.14).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFacts } from '../../src/facts/index.js';
import { virtualizationFamily } from '../../src/facts/virtualization.js';
import { assertSameVirt, expectedVirt, VIRT_FIXTURES } from './virtualizationGolden.js';

const parse = (file: string) => parseFacts(readFileSync(path.join(VIRT_FIXTURES, file), 'utf8'), [virtualizationFamily]);
const cases = (dir: string) => readdirSync(path.join(VIRT_FIXTURES, dir)).filter((f) => f.endsWith('.txt')).map((f) => f.replace(/(\.raw)?\.txt$/, ''));

describe('virtualization facts vs Ansible 2.14', () => {
  const recorded = cases('recorded');
  it('has recordings of this machine and of a lab host', () => {
    assert.deepEqual(recorded.sort(), ['dev-docker-on-vm', 'lab-debian12']);
  });
  for (const name of recorded) {
    it(`recorded ${name}: kelpie's facts from the raw output equal Ansible's`, () => {
      assertSameVirt(parse(`recorded/${name}.raw.txt`), expectedVirt(`recorded/${name}.ansible.json`), name);
    });
  }
  for (const name of cases('hand-written')) {
    it(`hand-written ${name}: equals Ansible's code run on that input`, () => {
      assertSameVirt(parse(`hand-written/${name}.txt`), expectedVirt(`hand-written/${name}.expected.json`), name);
    });
  }
  it('emits the tech lists in the order the checks found them', () => {
    const facts = parse('hand-written/openvz-docker.txt');
    assert.deepEqual(facts.virtualization_tech_guest, ['docker', 'openvz', 'container']);
  });
});
