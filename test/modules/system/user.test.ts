import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import user from '../../../src/modules/system/user.js';
import group from '../../../src/modules/system/group.js';
import { scriptedContext, type ScriptedReply } from '../../helpers/scriptedSysContext.js';
import { localSysContext } from '../../helpers/localSysContext.js';

// `getent group` lines as a Debian 12 host prints them.
const GROUPS = 'root:x:0:\nmail:x:8:\npostfix:x:108:\nspamd:x:110:spamass-milter\nsudo:x:27:alice\nalice:x:1000:\n';

function args<S extends Parameters<typeof validateArgs>[0]>(spec: S, input: Record<string, unknown>) {
  const { args: a, problems } = validateArgs(spec, input);
  assert.deepEqual(problems, []);
  return a;
}

function host(passwd: string | undefined, extra: ScriptedReply[] = []) {
  return scriptedContext({
    replies: [
      { match: /^getent passwd/, rc: passwd ? 0 : 2, stdout: passwd ?? '' },
      { match: /^getent shadow/, rc: passwd ? 0 : 2, stdout: passwd ? passwd.split(':')[0] + ':!:19000:0:99999:7:::\n' : '' },
      { match: /^getent group$/, stdout: GROUPS },
      // the account's home exists
      { match: /test -e/, rc: 0 },
      ...extra,
    ],
  });
}

/** alice as she exists on the host: her shadow line's fields after the name, and whether her home exists */
function alice(shadowFields: string, homeExists = true) {
  return scriptedContext({
    replies: [
      { match: /^getent passwd/, stdout: 'alice:x:1000:1000::/home/alice:/bin/sh\n' },
      { match: /^getent shadow/, stdout: `alice:${shadowFields}\n` },
      { match: /^getent group$/, stdout: GROUPS },
      { match: /test -e/, rc: homeExists ? 0 : 1 },
    ],
  });
}

describe('user', () => {
  it('creates the milter account with the useradd the sysadmin notes use', async () => {
    const a = args(user.args, { name: 'spamass-milter', comment: 'Spamassassin Milter', shell: '/bin/false' });
    const plan = await user.plan(host(undefined), a);
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, "useradd -c 'Spamassassin Milter' -s /bin/false -m spamass-milter");
    assert.equal(plan.diff?.[0]?.after, 'spamass-milter:x:(auto):(auto):Spamassassin Milter:/home/spamass-milter:/bin/false\n');
  });
  it('is ok when the passwd line already matches', async () => {
    const line = 'spamass-milter:x:1001:1001:Spamassassin Milter:/home/spamass-milter:/bin/false\n';
    const plan = await user.plan(host(line), args(user.args, { name: 'spamass-milter', comment: 'Spamassassin Milter', shell: '/bin/false' }));
    assert.equal(plan.kind, 'ok');
  });
  it('changes shell and appends groups, showing the passwd line change', async () => {
    const line = 'alice:x:1000:1000:Alice:/home/alice:/bin/sh\n';
    const plan = await user.plan(host(line), args(user.args, { name: 'alice', shell: '/bin/bash', groups: ['sudo', 'mail'], append: true }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, 'usermod -a -G sudo,mail -s /bin/bash alice');
    assert.equal(plan.diff?.[0]?.before, 'alice:x:1000:1000:Alice:/home/alice:/bin/sh\n');
    assert.equal(plan.diff?.[0]?.after, 'alice:x:1000:1000:Alice:/home/alice:/bin/bash\n');
  });
  it('replaces supplementary groups without append', async () => {
    const plan = await user.plan(host('alice:x:1000:1000::/home/alice:/bin/sh\n'), args(user.args, { name: 'alice', groups: ['mail'] }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, 'usermod -G mail alice');
  });
  it('leaves out a user group when a same-named group exists (useradd -N, as Ansible), and removes with userdel -r', async () => {
    const plan = await user.plan(host(undefined), args(user.args, { name: 'alice', system: true, create_home: false }));
    assert.ok(plan.kind === 'change');
    assert.equal(plan.data?.cmd, 'useradd -N -M -r alice');
    const rm = await user.plan(host('alice:x:1000:1000::/home/alice:/bin/sh\n'), args(user.args, { name: 'alice', state: 'absent', remove: true }));
    assert.ok(rm.kind === 'change');
    assert.equal(rm.data?.cmd, 'userdel -r alice');
  });
  it('locks with -L, unlocks a locked account with -U, and a new hash under password_lock is set locked', async () => {
    const withShadow = (hash: string) => alice(`${hash}:19000:0:99999:7:::`);
    const lock = await user.plan(withShadow('$6$s$h'), args(user.args, { name: 'alice', password_lock: true }));
    assert.ok(lock.kind === 'change');
    assert.equal(lock.data?.cmd, 'usermod -L alice');
    assert.equal((await user.plan(withShadow('!$6$s$h'), args(user.args, { name: 'alice', password_lock: true }))).kind, 'ok');
    const unlock = await user.plan(withShadow('!$6$s$h'), args(user.args, { name: 'alice', password_lock: false }));
    assert.ok(unlock.kind === 'change');
    assert.equal(unlock.data?.cmd, 'usermod -U alice');
    const both = await user.plan(withShadow('$6$old$h'), args(user.args, { name: 'alice', password: '$6$s$h', password_lock: true }));
    assert.ok(both.kind === 'change');
    assert.equal(both.data?.cmd, "usermod -p '!$6$s$h' alice");
  });
  it('an existing account whose home is missing gets it created (Ansible does it without useradd)', async () => {
    const ctx = alice('!:19000:0:99999:7:::', false);
    const plan = await user.plan(ctx, args(user.args, { name: 'alice' }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['create home /home/alice']);
    assert.deepEqual(plan.data, { op: 'none', createHome: true, chage: false });
    assert.equal((await user.plan(ctx, args(user.args, { name: 'alice', create_home: false }))).kind, 'ok');
  });
  it('password_expire_min/max: chage with only the ages that differ from the shadow line', async () => {
    const ctx = alice('!:19000:1:99999:7:::');
    const plan = await user.plan(ctx, args(user.args, { name: 'alice', password_expire_min: 1, password_expire_max: 90 }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['change password expiry']);
    assert.equal((await user.plan(ctx, args(user.args, { name: 'alice', password_expire_min: 1, password_expire_max: 99999 }))).kind, 'ok');
  });
  it("a missing group is a failure in check mode too (after earlier changes the executor makes it 'cannot verify')", async () => {
    const a = args(user.args, { name: 'x', group: 'spamass' });
    const ctx = host(undefined);
    assert.equal((await user.plan(ctx, a)).kind, 'fail');
    const check = scriptedContext({ replies: [{ match: /^getent (passwd|shadow)/, rc: 2 }, { match: /^getent group$/, stdout: GROUPS }, { match: /test -e/, rc: 1 }] });
    const plan = await user.plan(check, a);
    assert.deepEqual(plan, { kind: 'fail', msg: 'Group spamass does not exist' });
  });
  it('reads this machine\'s root account as it is (check mode)', async () => {
    const plan = await user.plan(localSysContext(), args(user.args, { name: 'root', uid: 0, home: '/root' }));
    assert.equal(plan.kind, 'ok');
  });
});

describe('group', () => {
  it('creates, changes gid, and is ok when equal', async () => {
    const missing = scriptedContext({ replies: [{ match: /^getent group/, rc: 2 }] });
    const add = await group.plan(missing, args(group.args, { name: 'spamd', gid: 110, system: true }));
    assert.ok(add.kind === 'change');
    assert.equal(add.data?.cmd, 'groupadd -g 110 -r spamd');
    const present = scriptedContext({ replies: [{ match: /^getent group spamd$/, stdout: 'spamd:x:110:\n' }] });
    assert.equal((await group.plan(present, args(group.args, { name: 'spamd', gid: 110 }))).kind, 'ok');
    const mod = await group.plan(present, args(group.args, { name: 'spamd', gid: 120 }));
    assert.ok(mod.kind === 'change');
    assert.equal(mod.data?.cmd, 'groupmod -g 120 spamd');
  });
});
