import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import type { AnyModule, Applied, Plan } from '../../../src/modules/types.js';
import { planInMode } from '../../../src/executor/modePlan.js';
import copy from '../../../src/modules/files/copy.js';
import file from '../../../src/modules/files/file.js';
import stat from '../../../src/modules/files/stat.js';
import slurp from '../../../src/modules/files/slurp.js';
import template from '../../../src/modules/files/template.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';

async function run(
  mod: unknown,
  input: Record<string, unknown>,
  o: { checkMode?: boolean; filesDir?: string; vars?: Record<string, unknown>; commandLog?: string[] } = {},
): Promise<{ plan: Plan; applied?: Applied }> {
  const m = mod as AnyModule;
  const { checkMode = false, ...local } = o;
  const ctx = makeLocalContext({ diffMode: true, ...local });
  const { args, problems } = validateArgs(m.args, input);
  assert.deepEqual(problems, []);
  const bad = m.check?.(args);
  if (bad) return { plan: { kind: 'fail', msg: bad } };
  const plan = await planInMode(m, ctx, args, checkMode);
  if (plan.kind === 'change' && !checkMode) return { plan, applied: await m.apply!(ctx, args, plan.data, plan) };
  return { plan };
}

describe('file modules on the local machine', () => {
  let dir: string;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('copy writes content once, with mode, and returns the sha1 checksum', async () => {
    const dest = join(dir, 'a.txt');
    const first = await run(copy, { content: 'hello\n', dest, mode: '0600' });
    assert.equal(first.plan.kind, 'change');
    assert.equal(await fs.readFile(dest, 'utf8'), 'hello\n');
    assert.equal((await fs.stat(dest)).mode & 0o777, 0o600);
    assert.equal(first.applied?.result?.checksum, 'f572d396fae9206628714fb2ce00f72e94f2258f');
    const second = await run(copy, { content: 'hello\n', dest, mode: '0600' });
    assert.equal(second.plan.kind, 'ok');
  });

  it('copy in check mode reports the diff and writes nothing', async () => {
    const dest = join(dir, 'b.txt');
    const r = await run(copy, { content: 'x\n', dest }, { checkMode: true });
    assert.equal(r.plan.kind, 'change');
    await assert.rejects(fs.stat(dest));
  });

  it('copy of a controller directory without a trailing slash recreates it under dest', async () => {
    const src = join(dir, 'src');
    await fs.mkdir(join(src, 'sub'), { recursive: true });
    await fs.writeFile(join(src, 'sub', 'f'), 'F');
    const dest = join(dir, 'out');
    await run(copy, { src, dest: dest + '/', directory_mode: '0750' });
    assert.equal(await fs.readFile(join(dest, 'src', 'sub', 'f'), 'utf8'), 'F');
    assert.equal((await run(copy, { src, dest: dest + '/' })).plan.kind, 'ok');
  });

  it('copy changes only the mode when content is the same', async () => {
    const dest = join(dir, 'm.txt');
    await fs.writeFile(dest, 'same');
    await fs.chmod(dest, 0o644);
    const r = await run(copy, { content: 'same', dest, mode: 'u=rw,go=' });
    assert.equal(r.plan.kind, 'change');
    assert.equal((await fs.stat(dest)).mode & 0o777, 0o600);
  });

  it('template renders with variables and trim_blocks', async () => {
    await fs.mkdir(join(dir, 'templates'));
    await fs.writeFile(join(dir, 'templates', 't.j2'), '{% if on %}\nport={{ port }}\n{% endif %}\n');
    const dest = join(dir, 'conf');
    await run(template, { src: 't.j2', dest }, { filesDir: dir, vars: { on: true, port: 80 } });
    assert.equal(await fs.readFile(dest, 'utf8'), 'port=80\n');
  });

  it('file creates directories, applies symbolic modes and is idempotent', async () => {
    const p = join(dir, 'd1', 'd2');
    const r = await run(file, { path: p, state: 'directory', mode: 'u=rwx,g=rx,o=' });
    assert.equal(r.plan.kind, 'change');
    assert.equal((await fs.stat(p)).mode & 0o777, 0o750);
    assert.equal((await run(file, { path: p, state: 'directory', mode: 'u=rwx,g=rx,o=' })).plan.kind, 'ok');
  });

  it('file makes symlinks, removes paths and fails on a missing state=file', async () => {
    const target = join(dir, 't');
    await fs.writeFile(target, '');
    const link = join(dir, 'l');
    await run(file, { path: link, src: target, state: 'link' });
    assert.equal(await fs.readlink(link), target);
    assert.equal((await run(file, { path: link, src: target, state: 'link' })).plan.kind, 'ok');
    await run(file, { path: link, state: 'absent' });
    await assert.rejects(fs.lstat(link));
    const r = await run(file, { path: join(dir, 'nope'), state: 'file' });
    assert.equal(r.plan.kind, 'fail');
  });

  it('file warns, as Ansible does, when a followed symlink is left dangling, in check mode only once the link exists', async () => {
    const link = join(dir, 'l');
    const args = { path: link, src: join(dir, 'missing'), state: 'link', force: true };
    const warning = 'Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.';
    assert.equal((await run(file, args, { checkMode: true })).plan.result?.warnings, undefined);
    assert.deepEqual((await run(file, args)).applied?.result?.warnings, [warning]);
    assert.deepEqual((await run(file, args)).plan.result?.warnings, [warning]);
    assert.deepEqual((await run(file, args, { checkMode: true })).plan.result?.warnings, [warning]);
    assert.equal((await run(file, { ...args, follow: false })).plan.result?.warnings, undefined);
  });

  it('file fails on an owner or group name the host does not know, in check mode too', async () => {
    const f = join(dir, 'f');
    await fs.writeFile(f, 'x');
    for (const checkMode of [true, false]) {
      const owner = await run(file, { path: f, owner: 'nosuchuser-kelpie', group: 'nosuchgroup-kelpie' }, { checkMode });
      assert.deepEqual([owner.plan.kind, (owner.plan as { msg?: string }).msg], ['fail', 'chown failed: failed to look up user nosuchuser-kelpie']);
      assert.equal(owner.plan.result?.state, 'file');
      const group = await run(file, { path: f, group: 'nosuchgroup-kelpie' }, { checkMode });
      assert.equal((group.plan as { msg?: string }).msg, 'chgrp failed: failed to look up group nosuchgroup-kelpie');
    }
    // stat names an owner without an account UNKNOWN: that proves no account of that name
    const nameless = join(dir, 'nameless');
    await fs.writeFile(nameless, 'x');
    await fs.chown(nameless, 54321, 54321);
    const unknown = await run(file, { path: nameless, owner: 'UNKNOWN' });
    assert.equal((unknown.plan as { msg?: string }).msg, 'chown failed: failed to look up user UNKNOWN');
    // a number is an id, not looked up
    assert.equal((await run(file, { path: f, owner: String(process.getuid?.() ?? 0) })).plan.kind, 'ok');
  });

  it('file on a path that needs no change answers in one round trip, with the path\'s result keys', async () => {
    const d = join(dir, 'd');
    await fs.mkdir(d, { mode: 0o750 });
    await fs.chmod(d, 0o750);
    const target = join(dir, 't');
    await fs.writeFile(target, '');
    const link = join(dir, 'l');
    await fs.symlink(target, link);
    const dangling = join(dir, 'dl');
    await fs.symlink(join(dir, 'gone'), dangling);
    const groupName = ((await run(stat, { path: d })).plan.result?.stat as { gr_name: string }).gr_name;
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ path: d, state: 'directory', mode: '0750' }, { path: d, state: 'directory', mode: '0750' }],
      // an owner and group the path already has by name need no lookup (stat named them)
      [{ path: d, state: 'directory', owner: userInfo().username, group: groupName }, { path: d, state: 'directory', owner: userInfo().username, group: groupName }],
      [{ path: link, src: target, state: 'link' }, { dest: link, src: target, state: 'link' }],
      // a dangling link does not exist for Ansible's add_path_info: no path keys
      [{ path: dangling, src: join(dir, 'gone'), state: 'link' }, { dest: dangling, src: join(dir, 'gone') }],
    ];
    for (const [args, want] of cases) {
      const log: string[] = [];
      const r = await run(file, args, { commandLog: log });
      assert.equal(r.plan.kind, 'ok', JSON.stringify(args));
      assert.equal(log.length, 1, `${JSON.stringify(args)}: ${log.join('\n')}`);
      // no lookup of names stat gave, no readlink -f (the file module has no use for the resolved path)
      assert.doesNotMatch(log[0]!, /getent|readlink -f/);
      const result = r.plan.result ?? {};
      const picked = Object.fromEntries(Object.keys(want).map((k) => [k, result[k]]));
      assert.deepEqual(picked, want);
      if (!('state' in want)) assert.equal(result.state, undefined);
    }
  });

  it('file through a followed symlink reports the link itself, as a second probe finds it', async () => {
    const target = join(dir, 'real');
    await fs.mkdir(target);
    const link = join(dir, 'via');
    await fs.symlink(target, link);
    const log: string[] = [];
    const r = await run(file, { path: link, state: 'directory' }, { commandLog: log });
    assert.equal(r.plan.kind, 'ok');
    assert.equal(r.plan.result?.state, 'link');
    assert.equal(log.length, 2);
  });

  it('stat reports the extras (blocks, access, MIME, attributes) from the same round trip', async () => {
    const p = join(dir, 'x');
    await fs.writeFile(p, 'hello\n');
    await fs.chmod(p, 0o640);
    const log: string[] = [];
    const r = await run(stat, { path: p }, { commandLog: log });
    assert.equal(log.length, 1);
    const s = (r.plan.kind === 'ok' ? r.plan.result?.stat : undefined) as Record<string, unknown>;
    const st = await fs.stat(p);
    assert.equal(s.blocks, st.blocks);
    assert.equal(s.block_size, st.blksize);
    assert.equal(s.device_type, 0);
    assert.deepEqual([s.readable, s.writeable, s.executable], [true, true, false]);
    assert.equal(typeof s.mimetype, 'string');
    assert.ok(Array.isArray(s.attributes));
    assert.equal(s.checksum, 'f572d396fae9206628714fb2ce00f72e94f2258f');
  });

  it('stat reports Ansible keys and the sha1 checksum', async () => {
    const p = join(dir, 's');
    await fs.writeFile(p, 'hello\n');
    await fs.chmod(p, 0o640);
    const r = await run(stat, { path: p });
    assert.equal(r.plan.kind, 'ok');
    const s = (r.plan.kind === 'ok' ? r.plan.result?.stat : undefined) as Record<string, unknown>;
    assert.equal(s.exists, true);
    assert.equal(s.isreg, true);
    assert.equal(s.mode, '0640');
    assert.equal(s.size, 6);
    assert.equal(s.checksum, 'f572d396fae9206628714fb2ce00f72e94f2258f');
    const missing = await run(stat, { path: join(dir, 'none') });
    assert.deepEqual(missing.plan.kind === 'ok' && missing.plan.result, { stat: { exists: false } });
  });

  it('slurp returns base64 content', async () => {
    const p = join(dir, 's');
    await fs.writeFile(p, 'hi');
    const r = await run(slurp, { src: p });
    assert.equal(r.plan.kind === 'ok' && r.plan.result?.content, 'aGk=');
  });
});
