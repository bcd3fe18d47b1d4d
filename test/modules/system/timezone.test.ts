import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import timezone, { clockZone, setClockZone, zoneFromLink } from '../../../src/modules/system/timezone.js';
import { scriptedContext, type ScriptedReply } from '../../helpers/scriptedSysContext.js';
import { localSysContext, runLocal } from '../../helpers/localSysContext.js';

// /etc/sysconfig/clock as RHEL 4/5 ship it.
const CLOCK = 'ZONE="America/Los_Angeles"\nUTC=true\nARC=false\n';

function args(input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(timezone.args, input);
  assert.deepEqual(problems, []);
  return a;
}

function host(over: Record<string, Partial<ScriptedReply>>): ReturnType<typeof scriptedContext> {
  const base: Record<string, ScriptedReply> = {
    systemd: { match: /^test -d \/run\/systemd\/system/, rc: 1 },
    tdctl: { match: /^timedatectl show/, rc: 1 },
    redhat: { match: /^test -f \/etc\/redhat-release/, rc: 1 },
    etcTimezone: { match: /^cat \/etc\/timezone/, rc: 1 },
    clock: { match: /^cat \/etc\/sysconfig\/clock/, rc: 1 },
    link: { match: /^readlink \/etc\/localtime/, rc: 1 },
    zone: { match: /^test -f \/usr\/share\/zoneinfo/, rc: 0 },
    same: { match: /^cmp -s/, rc: 1 },
    // the current zone's offset (Los Angeles in winter), the wanted zone's now, January, July
    offsetNow: { match: /^date \+%z/, stdout: '-0800\n' },
    offsetJan: { match: /^TZ=\S+ date -d '\d+-01-15/, stdout: '+0000\n' },
    offsetJul: { match: /^TZ=\S+ date -d '\d+-07-15/, stdout: '+0000\n' },
    offsetWanted: { match: /^TZ=\S+ date \+%z/, stdout: '+0000\n' },
    write: { match: /^ln -sfn|^timedatectl set-timezone/ },
  };
  for (const [k, v] of Object.entries(over)) base[k] = { ...base[k]!, ...v };
  return scriptedContext({ replies: Object.values(base) });
}

describe('timezone helpers', () => {
  it('rewrites only the ZONE line of /etc/sysconfig/clock, with quotes', () => {
    assert.equal(setClockZone(CLOCK, 'Etc/GMT'), 'ZONE="Etc/GMT"\nUTC=true\nARC=false\n');
    assert.equal(setClockZone('UTC=true\n', 'Etc/GMT'), 'ZONE="Etc/GMT"\nUTC=true\n');
    assert.equal(clockZone(CLOCK), 'America/Los_Angeles');
    assert.equal(zoneFromLink('../usr/share/zoneinfo/Etc/GMT'), 'Etc/GMT');
  });
});

describe('timezone plan', () => {
  it('Red Hat: ZONE="Etc/GMT" in /etc/sysconfig/clock and a /etc/localtime link', async () => {
    const ctx = host({ redhat: { rc: 0 }, clock: { rc: 0, stdout: CLOCK } });
    const a = args({ name: 'Etc/GMT' });
    const plan = await timezone.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.diff?.[0], { path: 'timezone', beforeHeader: 'before', afterHeader: 'after', before: 'name: America/Los_Angeles\noffset: UTC-08:00\n', after: 'name: Etc/GMT\noffset: UTC+00:00\n' });
    assert.equal(plan.msg, 'timezone changed from America/Los_Angeles (UTC-08:00) to Etc/GMT (UTC+00:00)');
    await timezone.apply!(ctx, a, plan.data!, plan);
    assert.equal(ctx.written['/etc/sysconfig/clock'], 'ZONE="Etc/GMT"\nUTC=true\nARC=false\n');
    assert.deepEqual(ctx.execs, ['ln -sfn /usr/share/zoneinfo/Etc/GMT /etc/.localtime.kelpie && mv -f /etc/.localtime.kelpie /etc/localtime']);
  });
  it('Red Hat: an unquoted ZONE line is rewritten even when the zone matches', async () => {
    const plan = await timezone.plan(host({ redhat: { rc: 0 }, clock: { rc: 0, stdout: 'ZONE=Etc/GMT\n' }, same: { rc: 0 } }), args({ name: 'Etc/GMT' }));
    assert.equal(plan.kind, 'change');
  });
  it('Debian: /etc/timezone and the link; ok when both agree', async () => {
    const ok = host({ etcTimezone: { rc: 0, stdout: 'Etc/GMT\n' }, link: { rc: 0, stdout: '/usr/share/zoneinfo/Etc/GMT\n' }, same: { rc: 0 } });
    assert.equal((await timezone.plan(ok, args({ name: 'Etc/GMT' }))).kind, 'ok');
    const ctx = host({ etcTimezone: { rc: 0, stdout: 'Australia/Melbourne\n' }, link: { rc: 0, stdout: '/usr/share/zoneinfo/Australia/Melbourne\n' } });
    const a = args({ name: 'Etc/GMT' });
    const plan = await timezone.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    await timezone.apply!(ctx, a, plan.data!, plan);
    assert.equal(ctx.written['/etc/timezone'], 'Etc/GMT\n');
  });
  it('systemd: timedatectl set-timezone', async () => {
    const ctx = host({ systemd: { rc: 0 }, tdctl: { rc: 0, stdout: 'UTC\n' } });
    const a = args({ name: 'Australia/Melbourne' });
    const plan = await timezone.plan(ctx, a);
    assert.ok(plan.kind === 'change');
    await timezone.apply!(ctx, a, plan.data!, plan);
    assert.deepEqual(ctx.execs, ['timedatectl set-timezone Australia/Melbourne']);
  });
});

describe('timezone on this machine (check mode, read only)', function () {
  before(async function () {
    if ((await runLocal('test -f /usr/share/zoneinfo/Etc/GMT')).rc !== 0) this.skip();
  });
  it('suggests the closest real zone for a typo', async () => {
    const plan = await timezone.plan(localSysContext(), args({ name: 'Australia/Melborne' }));
    assert.ok(plan.kind === 'fail');
    assert.match(plan.msg, /does not exist under \/usr\/share\/zoneinfo \(did you mean 'Australia\/Melbourne'\?\)/);
  });
  it('is ok for the zone the machine has, and a change for another', async function () {
    const cur = (await runLocal('cat /etc/timezone')).stdout.trim();
    if (!cur) this.skip();
    assert.equal((await timezone.plan(localSysContext(), args({ name: cur }))).kind, 'ok');
    const other = cur === 'Etc/GMT' ? 'UTC' : 'Etc/GMT';
    const plan = await timezone.plan(localSysContext(), args({ name: other }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.diff?.[0]?.after, `name: ${other}\noffset: UTC+00:00\n`);
  });
  it('Etc/GMT+10 is accepted with a warning that it is UTC-10, and its offset from the host\'s own zoneinfo', async () => {
    const ctx = localSysContext();
    const plan = await timezone.plan(ctx, args({ name: 'Etc/GMT+10' }));
    assert.ok(plan.kind === 'change' || plan.kind === 'ok');
    assert.equal(plan.result?.utc_offset, '-1000');
    assert.match(String(plan.result?.warning), /^Etc\/GMT\+10 is UTC-10, 10 hours BEHIND UTC: .*for UTC\+10 the name is Etc\/GMT-10\)$/);
  });
  it('Etc/GMT+14 does not exist: the hint keeps the sign (Etc/GMT+12) and explains, never offers Etc/GMT-14 as a typo fix', async () => {
    const plan = await timezone.plan(localSysContext(), args({ name: 'Etc/GMT+14' }));
    assert.ok(plan.kind === 'fail');
    assert.match(plan.msg, /time zone 'Etc\/GMT\+14' does not exist under \/usr\/share\/zoneinfo \(did you mean 'Etc\/GMT\+12'\? Etc\/GMT\+N is UTC-N and goes down to Etc\/GMT\+12 \(UTC-12\)/);
    assert.doesNotMatch(plan.msg, /did you mean 'Etc\/GMT-14'/);
  });
  it('refuse_dst: Europe/London (summer time) is refused with both offsets; Etc/GMT and Asia/Tokyo are not', async () => {
    const plan = await timezone.plan(localSysContext(), args({ name: 'Europe/London', refuse_dst: true }));
    assert.ok(plan.kind === 'fail');
    assert.match(plan.msg, /^refusing time zone 'Europe\/London': it has summer time \(UTC\+00:00 in January, UTC\+01:00 in July\)/);
    assert.notEqual((await timezone.plan(localSysContext(), args({ name: 'Europe/London' }))).kind, 'fail', 'off by default in the module');
    for (const name of ['Etc/GMT', 'Asia/Tokyo']) assert.notEqual((await timezone.plan(localSysContext(), args({ name, refuse_dst: true }))).kind, 'fail', name);
  });
});
