import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import apt from '../../../src/modules/packages/apt.js';
import { parseAptSimulation, parseDpkgQuery, simulationDiff, versionMatches } from '../../../src/modules/packages/aptParse.js';
import { scriptedContext } from '../../helpers/scriptedSysContext.js';
import { localSysContext, runLocal } from '../../helpers/localSysContext.js';

// Captured on the Debian 12 controller: `apt-get -s install postfix`, `apt-get -s install spamass-milter ...`.
const SIM_POSTFIX = `Reading package lists...
Building dependency tree...
Reading state information...
The following additional packages will be installed:
  cpio
The following NEW packages will be installed:
  cpio postfix
0 upgraded, 2 newly installed, 0 to remove and 139 not upgraded.
Inst cpio (2.13+dfsg-7.1 Debian:12.15/oldstable [amd64])
Inst postfix (3.7.11-0+deb12u1 Debian:12.15/oldstable [amd64])
Conf cpio (2.13+dfsg-7.1 Debian:12.15/oldstable [amd64])
Conf postfix (3.7.11-0+deb12u1 Debian:12.15/oldstable [amd64])
`;
const SIM_UPGRADE = `Inst libperl5.36 [5.36.0-7+deb12u2] (5.36.0-7+deb12u4 Debian-Security:12/oldstable-security [amd64]) [perl:amd64 ]
Inst perl [5.36.0-7+deb12u2] (5.36.0-7+deb12u4 Debian-Security:12/oldstable-security [amd64]) []
Conf perl-base (5.36.0-7+deb12u4 Debian-Security:12/oldstable-security [amd64]) []
`;
const SIM_PURGE = `0 upgraded, 0 newly installed, 1 to remove and 138 not upgraded.\nPurg bash [5.2.15-2+b8]\n`;
const DPKG = 'bash\t5.2.15-2+b8\tii \ndpkg\t1.21.23\tii \nold\t1.0\trc \n';

function args(input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(apt.args, input);
  assert.deepEqual(problems, []);
  return a;
}

describe('apt parsers', () => {
  it('reads installs, upgrades and purges from apt-get -s, skipping Conf lines', () => {
    assert.deepEqual(parseAptSimulation(SIM_POSTFIX), [
      { action: 'install', name: 'cpio', arch: 'amd64', to: '2.13+dfsg-7.1' },
      { action: 'install', name: 'postfix', arch: 'amd64', to: '3.7.11-0+deb12u1' },
    ]);
    const up = parseAptSimulation(SIM_UPGRADE);
    assert.deepEqual(up.map((x) => [x.action, x.name, x.from, x.to]), [
      ['upgrade', 'libperl5.36', '5.36.0-7+deb12u2', '5.36.0-7+deb12u4'],
      ['upgrade', 'perl', '5.36.0-7+deb12u2', '5.36.0-7+deb12u4'],
    ]);
    assert.deepEqual(parseAptSimulation(SIM_PURGE), [{ action: 'purge', name: 'bash', from: '5.2.15-2+b8' }]);
  });
  it('tells installed from config-only packages', () => {
    const m = parseDpkgQuery(DPKG);
    assert.equal(m.get('bash')?.installed, true);
    assert.equal(m.get('old')?.installed, false);
    assert.equal(m.get('old')?.configOnly, true);
  });
  it('matches pinned versions exactly or by glob', () => {
    assert.ok(versionMatches('2.10-3', '2.10-3'));
    assert.ok(versionMatches('2.10-3', '2.10*'));
    assert.ok(!versionMatches('2.10-3', '2.1'));
  });
  it('lists packages before and after for the diff', () => {
    const d = simulationDiff(parseAptSimulation(SIM_UPGRADE + SIM_POSTFIX));
    assert.equal(d.before, 'libperl5.36 5.36.0-7+deb12u2\nperl 5.36.0-7+deb12u2\n');
    assert.equal(d.after, 'cpio 2.13+dfsg-7.1\nlibperl5.36 5.36.0-7+deb12u4\nperl 5.36.0-7+deb12u4\npostfix 3.7.11-0+deb12u1\n');
  });
});

describe('apt plan (recorded host output)', () => {
  const base = [
    { match: /^stat -c %Y/, stdout: '1700000000\n' },
    { match: /^date \+%s/, stdout: '1700000100\n' },
    { match: /^true$/ },
  ];
  it('simulates only the missing packages and reports dependencies', async () => {
    const ctx = scriptedContext({
      replies: [{ match: /^dpkg-query -W/, rc: 1, stdout: DPKG }, { match: /apt-get -s -q -o Dir::Log::Planner=\/dev\/null install -- postfix$/, stdout: SIM_POSTFIX }, ...base],
    });
    const plan = await apt.plan(ctx, args({ name: ['bash', 'postfix'] }));
    assert.equal(plan.kind, 'change');
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['install cpio 2.13+dfsg-7.1', 'install postfix 3.7.11-0+deb12u1']);
    assert.deepEqual(ctx.execs, []);
    assert.equal(ctx.probes.length, 2, 'one batched probe plus one simulation');
    assert.match(ctx.probes[0]!, /dpkg-query -W -f='\$\{Package\}\\t\$\{Version\}\\t\$\{db:Status-Abbrev\}\\n' -- bash postfix/);
  });
  it('is ok when everything is installed, without simulating', async () => {
    const ctx = scriptedContext({ replies: [{ match: /^dpkg-query -W/, stdout: DPKG }, ...base] });
    const plan = await apt.plan(ctx, args({ name: 'bash,dpkg' }));
    assert.equal(plan.kind, 'ok');
    assert.equal(ctx.probes.length, 1);
  });
  it('purges config-only packages when purge is set, and ignores them otherwise', async () => {
    const replies = [{ match: /^dpkg-query -W/, stdout: DPKG }, { match: /apt-get -s -q -o Dir::Log::Planner=\/dev\/null remove --purge -- old$/, stdout: 'Purg old [1.0]\n' }, ...base];
    assert.equal((await apt.plan(scriptedContext({ replies }), args({ name: 'old', state: 'absent' }))).kind, 'ok');
    const plan = await apt.plan(scriptedContext({ replies }), args({ name: 'old', state: 'absent', purge: true }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['purge old 1.0']);
  });
  it("updates a stale cache, then installs with the Ansible-style options; the update counts only if the cache's time moved", async () => {
    const ctx = scriptedContext({
      replies: [
        { match: /^dpkg-query -W/, stdout: '' },
        { match: /apt-get -s -q -o Dir::Log::Planner=\/dev\/null -o APT::Install-Recommends=no install -- hello$/, stdout: 'Inst hello (2.10-3 Debian:12.15/oldstable [amd64])\n' },
        { match: /^LC_ALL=C apt-get update/, stdout: 'Hit:1 file:/srv/repo ./ InRelease\n' },
        { match: /^DEBIAN_FRONTEND=noninteractive/, stdout: 'Setting up hello (2.10-3) ...\n', stderr: 'debconf: delaying package configuration, since apt-utils is not installed\n' },
        ...base,
      ],
    });
    const a = args({ name: 'hello', update_cache: true, cache_valid_time: 60, install_recommends: false });
    const plan = await apt.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['update apt cache (last update 100s ago)', 'install hello 2.10-3']);
    const applied = await apt.apply!(ctx, a, plan.data!, plan);
    // the repository did not change, so neither did the lists: as Ansible, not "updated"
    assert.deepEqual(applied, {
      changed: true,
      result: {
        cache_updated: false,
        cache_update_time: 1700000000,
        stdout: 'Setting up hello (2.10-3) ...\n',
        stderr: 'debconf: delaying package configuration, since apt-utils is not installed\n',
      },
    });
    assert.equal(ctx.execs.length, 3);
    assert.match(ctx.execs[1] ?? '', /^stat -c %Y /, 'the cache time is read again after the update, no stamp written');
    assert.equal(
      ctx.execs[2],
      'DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -y -q -o DPkg::Lock::Timeout=60 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o APT::Install-Recommends=no install -- hello',
    );
  });
  it('returns what Ansible returns when nothing is to do: the cache keys for an install, nothing for a removal', async () => {
    const ctx = scriptedContext({ replies: [{ match: /^dpkg-query -W/, stdout: DPKG }, ...base] });
    assert.deepEqual(await apt.plan(ctx, args({ name: 'bash' })), { kind: 'ok', result: { cache_updated: false, cache_update_time: 1700000000 } });
    assert.deepEqual(await apt.plan(ctx, args({ name: 'nosuchpkg', state: 'absent' })), { kind: 'ok', result: {} });
  });
  it("fails in Ansible's words for a package apt does not know", async () => {
    const ctx = scriptedContext({
      replies: [{ match: /^dpkg-query -W/, rc: 1 }, { match: /apt-get -s/, rc: 100, stderr: 'E: Unable to locate package nosuchpkg\n' }, ...base],
    });
    const plan = await apt.plan(ctx, args({ name: 'bash,nosuchpkg' }));
    assert.deepEqual(plan, { kind: 'fail', msg: "No package matching 'nosuchpkg' is available" });
  });
  it("with update_cache, a package only the cache update may reveal: 'cannot verify' in check mode, update then install for real", async () => {
    const ctx = scriptedContext({
      replies: [{ match: /^dpkg-query -W/, rc: 1 }, { match: /apt-get -s/, rc: 100, stderr: 'E: Unable to locate package newpkg\n' }, ...base],
    });
    const plan = await apt.plan(ctx, args({ name: 'newpkg', update_cache: true }));
    assert.ok(plan.kind === 'unknown');
    assert.equal(plan.reason, "depends on the apt cache update (now: No package matching 'newpkg' is available)");
    assert.deepEqual(plan.data, { updateCache: true, cacheTime: 1700000000, verb: 'install', targets: ['newpkg'], actions: [] });
  });
});

describe('apt plan on this Debian machine (check mode, nothing installed)', function () {
  before(async function () {
    if ((await runLocal('command -v apt-get && command -v dpkg-query')).rc !== 0) this.skip();
  });
  it('reports exactly the packages apt would install for a package that is absent', async () => {
    const probe = await runLocal("dpkg-query -W -f='${db:Status-Abbrev}' hello 2>/dev/null");
    if (probe.stdout.startsWith('ii')) return; // installed by someone else: nothing to prove here
    const cand = (await runLocal("LC_ALL=C apt-cache policy hello | sed -n 's/^ *Candidate: //p'")).stdout.trim();
    if (!cand || cand === '(none)') return;
    const ctx = localSysContext();
    const plan = await apt.plan(ctx, args({ name: 'hello' }));
    assert.ok(plan.kind === 'change', JSON.stringify(plan));
    assert.deepEqual(plan.changes, [`install hello ${cand}`]);
    const after = await runLocal("dpkg-query -W -f='${db:Status-Abbrev}' hello 2>/dev/null");
    assert.equal(after.stdout, probe.stdout, 'check mode left dpkg untouched');
  });
  it('is ok for an installed package', async () => {
    const plan = await apt.plan(localSysContext(), args({ name: 'dpkg' }));
    assert.equal(plan.kind, 'ok');
  });
});
