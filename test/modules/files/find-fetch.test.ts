import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { validateArgs } from '../../../src/modules/argspec.js';
import type { AnyModule, Plan } from '../../../src/modules/types.js';
import fetch from '../../../src/modules/files/fetch.js';
import find from '../../../src/modules/files/find.js';
import { makeLocalContext, makeTempDir } from '../../helpers/localContext.js';

async function plan(mod: unknown, input: Record<string, unknown>): Promise<{ plan: Plan; apply: () => Promise<unknown> }> {
  const m = mod as AnyModule;
  const ctx = makeLocalContext();
  const { args, problems } = validateArgs(m.args, input);
  assert.deepEqual(problems, []);
  const p = await m.plan(ctx, args);
  return { plan: p, apply: async () => (p.kind === 'change' ? m.apply!(ctx, args, p.data, p) : undefined) };
}

describe('find and fetch', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    await fs.mkdir(join(dir, 'sub'));
    await fs.writeFile(join(dir, 'a.conf'), 'port=1\n');
    await fs.writeFile(join(dir, 'b.txt'), 'x');
    await fs.writeFile(join(dir, '.hidden.conf'), '');
    await fs.writeFile(join(dir, 'sub', 'c.conf'), 'name=c\n');
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  const paths = (p: Plan): string[] => ((p.kind === 'ok' ? (p.result?.files as { path: string }[]) : []) ?? []).map((f) => f.path).sort();

  it('matches globs in the top directory only unless recurse, skipping hidden files', async () => {
    assert.deepEqual(paths((await plan(find, { paths: dir, patterns: '*.conf' })).plan), [join(dir, 'a.conf')]);
    assert.deepEqual(paths((await plan(find, { paths: dir, patterns: '*.conf', recurse: true })).plan), [join(dir, 'a.conf'), join(dir, 'sub', 'c.conf')]);
  });

  it('filters by content (match at line start), type and regex names', async () => {
    assert.deepEqual(paths((await plan(find, { paths: dir, contains: 'name=', recurse: true })).plan), [join(dir, 'sub', 'c.conf')]);
    assert.deepEqual(paths((await plan(find, { paths: dir, file_type: 'directory' })).plan), [join(dir, 'sub')]);
    assert.deepEqual(paths((await plan(find, { paths: dir, patterns: '^b\\.', use_regex: true })).plan), [join(dir, 'b.txt')]);
  });

  it('fetches into dest/<host>/<path> and is ok the second time', async () => {
    const dest = join(dir, 'fetched');
    const first = await plan(fetch, { src: join(dir, 'a.conf'), dest });
    assert.equal(first.plan.kind, 'change');
    await first.apply();
    assert.equal(await fs.readFile(join(dest, 'localhost', dir, 'a.conf'), 'utf8'), 'port=1\n');
    assert.equal((await plan(fetch, { src: join(dir, 'a.conf'), dest })).plan.kind, 'ok');
    assert.equal((await plan(fetch, { src: join(dir, 'nope'), dest })).plan.kind, 'fail');
  });
});
