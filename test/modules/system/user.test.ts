import assert from 'node:assert/strict';
import { validateArgs } from '../../../src/modules/argspec.js';
import user from '../../../src/modules/system/user.js';
import group from '../../../src/modules/system/group.js';
import { scriptedContext, type ScriptedReply } from '../../helpers/scriptedSysContext.js';
import { localSysContext } from '../../helpers/localSysContext.js';
import { sshKeygenCommand, sshKeygenStdin, sshKeyPath } from '../../../src/modules/system/userSshKey.js';

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
      { match: /getent passwd/, rc: passwd ? 0 : 2, stdout: passwd ?? '' },
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
      { match: /getent passwd/, stdout: 'alice:x:1000:1000::/home/alice:/bin/sh\n' },
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
    assert.deepEqual(plan.data, { op: 'none', createHome: true, chage: false, sshKeygen: false });
    assert.equal((await user.plan(ctx, args(user.args, { name: 'alice', create_home: false }))).kind, 'ok');
  });
  it('password_expire_min/max: chage with only the ages that differ from the shadow line', async () => {
    const ctx = alice('!:19000:1:99999:7:::');
    const plan = await user.plan(ctx, args(user.args, { name: 'alice', password_expire_min: 1, password_expire_max: 90 }));
    assert.ok(plan.kind === 'change');
    assert.deepEqual(plan.changes, ['change password expiry']);
    assert.equal((await user.plan(ctx, args(user.args, { name: 'alice', password_expire_min: 1, password_expire_max: 99999 }))).kind, 'ok');
  });
  it('expires: useradd -e with the UTC day; usermod -e only when the day differs; a negative value clears a set expiry', async () => {
    const add = await user.plan(host(undefined), args(user.args, { name: 'bob', expires: 1893500000 }));
    assert.ok(add.kind === 'change');
    assert.equal(add.data?.cmd, 'useradd -e 2030-01-01 -m bob');
    const none = await user.plan(host(undefined), args(user.args, { name: 'bob', expires: -1 }));
    assert.ok(none.kind === 'change');
    assert.equal(none.data?.cmd, "useradd -e '' -m bob");
    // 21915 days since the epoch: 2030-01-01
    const set = alice('!:19000:0:99999:7::21915:');
    assert.equal((await user.plan(set, args(user.args, { name: 'alice', expires: 1893456000 }))).kind, 'ok');
    const later = await user.plan(set, args(user.args, { name: 'alice', expires: 1896134400 }));
    assert.ok(later.kind === 'change');
    assert.equal(later.data?.cmd, 'usermod -e 2030-02-01 alice');
    assert.deepEqual(later.changes, ['change expiry']);
    const clear = await user.plan(set, args(user.args, { name: 'alice', expires: -1 }));
    assert.ok(clear.kind === 'change');
    assert.equal(clear.data?.cmd, "usermod -e '' alice");
    assert.equal((await user.plan(alice('!:19000:0:99999:7:::'), args(user.args, { name: 'alice', expires: -1 }))).kind, 'ok');
    assert.equal((await user.plan(alice('!:19000:0:99999:7:::'), args(user.args, { name: 'alice', expires: 0 }))).kind, 'change');
    // refused before the host is read, as Ansible's module refuses it
    const overflow = scriptedContext({ replies: [] });
    assert.deepEqual(await user.plan(overflow, args(user.args, { name: 'alice', expires: 1e20 })), { kind: 'fail', msg: "Invalid value for 'expires' None: timestamp out of range for platform time_t" });
    assert.equal((await user.plan(overflow, args(user.args, { name: 'alice', expires: 1e13 }))).kind, 'fail');
  });
  it('skeleton and umask go to useradd only with the home it makes (-k, -K UMASK=)', async () => {
    const a = args(user.args, { name: 'bob', skeleton: '/srv/skel', umask: '077' });
    const add = await user.plan(host(undefined), a);
    assert.ok(add.kind === 'change');
    assert.equal(add.data?.cmd, 'useradd -m -k /srv/skel -K UMASK=077 bob');
    const noHome = await user.plan(host(undefined), { ...a, create_home: false });
    assert.ok(noHome.kind === 'change');
    assert.equal(noHome.data?.cmd, 'useradd -M bob');
  });
  describe('local: true (libuser)', () => {
    const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    function debian(inPasswd: boolean, libuser = false) {
      return scriptedContext({
        replies: [
          { match: /^awk -F: -v n=/, rc: inPasswd ? 0 : 1 },
          { match: /^command -v/, rc: libuser ? 0 : 1, stdout: libuser ? '/usr/sbin/lgroupmod\n' : '' },
          { match: /^printf %s "\$PATH"$/, stdout: PATH },
          { match: /^for d in/, stdout: '/sbin\n/usr/sbin\n' },
        ],
      });
    }
    const WARNING = "'local: true' specified and user 'bob' was not found in /etc/passwd. The local user account may already exist if the local account database exists somewhere other than /etc/passwd.";
    it("without libuser: Ansible's failure naming lgroupmod; a check run only reports the new account", async () => {
      const plan = await user.plan(debian(false), args(user.args, { name: 'bob', local: true }));
      assert.ok(plan.kind === 'change');
      assert.deepEqual(plan.result, { warnings: [WARNING] });
      const applied = await user.apply!(debian(false), args(user.args, { name: 'bob', local: true }), plan.data!, plan);
      assert.deepEqual(applied, { failed: true, msg: `Failed to find required executable "lgroupmod" in paths: ${PATH}`, result: { warnings: [WARNING] } });
      const existing = await user.plan(debian(true), args(user.args, { name: 'bob', local: true, shell: '/bin/sh' }));
      assert.deepEqual(existing, { kind: 'fail', msg: `Failed to find required executable "lgroupmod" in paths: ${PATH}`, result: {} });
      assert.equal((await user.plan(debian(false), args(user.args, { name: 'bob', local: true, state: 'absent' }))).kind, 'ok');
    });
    it('with libuser: refused at run time, never done another way; umask with local fails as in Ansible', async () => {
      const plan = await user.plan(debian(true, true), args(user.args, { name: 'bob', local: true }));
      assert.ok(plan.kind === 'fail');
      assert.match(plan.msg, /argument 'local' of Ansible's user module is not implemented by kelpie/);
      assert.deepEqual(await user.plan(debian(true), args(user.args, { name: 'bob', local: true, umask: '077' })), { kind: 'fail', msg: "'umask' can not be used with 'local'" });
      assert.equal((await user.plan(host(undefined), args(user.args, { name: 'bob', local: false }))).kind, 'change');
    });
  });
  describe('generate_ssh_key', () => {
    const FINGERPRINT = '3072 SHA256:0000000000000000000000000000000000000000000 ansible-generated on h (RSA)';
    /** alice with her home, and her key files as listed */
    function withKey(files: { dir: boolean; key: boolean; pub: boolean }) {
      return scriptedContext({
        replies: [
          { match: /getent passwd/, stdout: 'alice:x:1000:1000::/home/alice:/bin/sh\n' },
          { match: /^getent shadow/, stdout: 'alice:!:19000:0:99999:7:::\n' },
          { match: /^getent group$/, stdout: GROUPS },
          { match: /^if test -e/, stdout: files.key ? FINGERPRINT + '\n' : '' },
          { match: 'test -d /home/alice/.ssh', rc: files.dir ? 0 : 1 },
          { match: 'test -e /home/alice/.ssh/id_rsa.pub', rc: files.pub ? 0 : 1 },
          { match: 'test -e /home/alice/.ssh/id_rsa', rc: files.key ? 0 : 1 },
          { match: /^cat /, rc: files.pub ? 0 : 1, stdout: files.pub ? 'ssh-rsa AAAA ansible-generated on h\n' : '' },
          { match: /test -e/, rc: 0 },
        ],
      });
    }
    it('an existing key is kept (ok, reported); force makes a new one', async () => {
      const ctx = withKey({ dir: true, key: true, pub: true });
      const plan = await user.plan(ctx, args(user.args, { name: 'alice', generate_ssh_key: true }));
      assert.equal(plan.kind, 'ok');
      const { ssh_fingerprint, ssh_key_file, ssh_public_key } = plan.result ?? {};
      assert.deepEqual([ssh_fingerprint, ssh_key_file, ssh_public_key], [FINGERPRINT, '/home/alice/.ssh/id_rsa', 'ssh-rsa AAAA ansible-generated on h']);
      const forced = await user.plan(ctx, args(user.args, { name: 'alice', generate_ssh_key: true, force: true }));
      assert.ok(forced.kind === 'change');
      assert.deepEqual(forced.changes, ['generate ssh key /home/alice/.ssh/id_rsa']);
    });
    it('a missing key is made; a check run reports it as Ansible does (no fingerprint, no public key)', async () => {
      for (const dir of [false, true]) {
        const plan = await user.plan(withKey({ dir, key: false, pub: false }), args(user.args, { name: 'alice', generate_ssh_key: true }));
        assert.ok(plan.kind === 'change');
        assert.deepEqual(plan.data, { op: 'none', createHome: false, chage: false, sshKeygen: true });
        assert.deepEqual([plan.result?.ssh_fingerprint, plan.result?.ssh_public_key], ['', null]);
      }
    });
    it('a lone public key is kept too', async () => {
      const plan = await user.plan(withKey({ dir: true, key: false, pub: true }), args(user.args, { name: 'alice', generate_ssh_key: true }));
      assert.equal(plan.kind, 'ok');
    });
    it('ssh-keygen gets the type, bits, comment and file; the passphrase only on stdin', () => {
      const a = args(user.args, { name: 'alice', generate_ssh_key: true, ssh_key_type: 'ed25519', ssh_key_file: '.ssh/deploy', ssh_key_comment: 'me@x', ssh_key_passphrase: 's3cret' });
      const cmd = sshKeygenCommand(a, sshKeyPath(a, '/home/alice'), { uid: 1000, gid: 1000 }).text;
      assert.equal(cmd, "{ test -d /home/alice/.ssh || { mkdir -m 0700 /home/alice/.ssh && chown 1000:1000 /home/alice/.ssh; }; } && ssh-keygen -q -t ed25519 -C me@x -f /home/alice/.ssh/deploy && chown 1000:1000 /home/alice/.ssh/deploy /home/alice/.ssh/deploy.pub");
      assert.ok(!cmd.includes('s3cret'));
      assert.equal(sshKeygenStdin(a), 's3cret\ns3cret\n');
      const plain = args(user.args, { name: 'alice', generate_ssh_key: true, ssh_key_bits: 2048, ssh_key_file: '/srv/k', force: true });
      assert.equal(
        sshKeygenCommand(plain, sshKeyPath(plain, '/home/alice'), { uid: 1, gid: 2 }).text,
        "{ test -d /srv || { mkdir -m 0700 /srv && chown 1:2 /srv; }; } && rm -f /srv/k /srv/k.pub && ssh-keygen -q -t rsa -b 2048 -C \"ansible-generated on $(uname -n)\" -f /srv/k -N '' && chown 1:2 /srv/k /srv/k.pub",
      );
    });
  });
  it("a missing group is a failure in check mode too (after earlier changes the executor makes it 'cannot verify')", async () => {
    const a = args(user.args, { name: 'x', group: 'spamass' });
    const ctx = host(undefined);
    assert.equal((await user.plan(ctx, a)).kind, 'fail');
    const check = scriptedContext({ replies: [{ match: /getent (passwd|shadow)/, rc: 2 }, { match: /^getent group$/, stdout: GROUPS }, { match: /test -e/, rc: 1 }] });
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
