/**
 * The parity area `host` (test/parity/host/area.ts): apt, package, user, group, service and
 * sysvinit on fresh lab hosts, compared with the goldens recorded from ansible-playbook on
 * the same kind of hosts. Here rather than in parity.test.ts so the runner schedules it
 * with the other lab files.
 */
import assert from 'node:assert/strict';
import { summaryLine } from '../parity/area.js';
import { HOST_MODES, hostAreaOn, prepareHosts } from '../parity/host/area.js';
import { useLab } from '../helpers/labHarness.js';

describe('parity with Ansible on a lab host (system modules, recorded goldens)', function () {
  // the service cases start and stop rsyslog for real: on a loaded machine the run can pass 10 min
  this.timeout(900_000);
  const h = useLab('parity-host', HOST_MODES.length);
  before(async function () {
    this.timeout(300_000);
    await prepareHosts(h.lab());
  });

  it('host: every case identical, a documented deviation or a listed gap', async () => {
    const outcomes = await hostAreaOn(() => h.lab()).run();
    assert.ok(outcomes.length >= 30, `only ${outcomes.length} cases`);
    const bad = outcomes.filter((o) => o.verdict === 'different');
    assert.deepEqual(bad.map((o) => `${o.id}: ${o.detail}`), [], summaryLine('host', outcomes));
  });
});
