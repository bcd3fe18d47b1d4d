/**
 * The cache of loaded playbooks the bin keeps between starts (src/playbook/loadCache.ts): a
 * start reuses a load only while every file, directory and probe the load looked at is still
 * the same, never keeps a load with problems, a secret, a value the serializer would change or
 * a result that depends on more than the files, and gives back the model a fresh load gives.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { loadCacheFor } from '../../src/cli/loadCacheFor.js';
import { entryFile, isPlainData, loadPlaybookCached, type LoadCache } from '../../src/playbook/loadCache.js';
import { loadPlaybook, type Node, type Playbook, type TaskNode } from '../../src/playbook/index.js';
import { PyFloat } from '../../src/template/pyvalue.js';
import { UnsafeText } from '../../src/template/scope.js';
import { addVaultSecret, resetVault } from '../../src/vault/keyring.js';

describe('the cache of loaded playbooks', () => {
  let dir: string;
  let cache: LoadCache;
  let site: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kelpie-loadcache-'));
    cache = { dir: join(dir, 'cache'), buildId: '0123456789abcdef' };
    site = join(dir, 'site.yaml');
    write('site.yaml', '- hosts: all\n  gather_facts: false\n  roles: [web]\n  tasks:\n    - import_tasks: more.yaml\n    - template: { src: motd.j2, dest: /etc/motd }\n');
    write('more.yaml', '- name: greet\n  debug: { msg: "{{ greeting | upper }}" }\n');
    write('templates/motd.j2', 'hello {{ inventory_hostname | upper }}\n');
    write('roles/web/tasks/main.yml', '- name: web task\n  command: /bin/true\n- import_tasks: shared.yaml\n');
    write('shared.yaml', '- name: shared task\n  command: /bin/true\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(rel: string, text: string): void {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const entries = (): string[] => {
    try {
      return readdirSync(cache.dir);
    } catch {
      return [];
    }
  };
  const flat = (nodes: Node[]): TaskNode[] => nodes.flatMap((n) => (n.kind === 'task' ? [n] : flat([...n.block, ...n.rescue, ...n.always])));
  const taskNames = (pb: Playbook): string[] => JSON.stringify(pb.plays).match(/"name":"[^"]*"/g) ?? [];
  /** Rewrites the stored model, so that a load answered from the cache can be told from a fresh one. */
  function markEntry(): void {
    const path = entryFile(cache, site, {}, process.cwd());
    const entry = deserialize(readFileSync(path)) as { playbook: Playbook };
    entry.playbook.plays[0]!.name = 'FROM THE CACHE';
    writeFileSync(path, serialize(entry));
  }

  it('gives back the model a fresh load gives, and answers the next load from the cache', async () => {
    const fresh = await loadPlaybook(site);
    const first = await loadPlaybookCached(site, {}, cache);
    assert.deepEqual(first, fresh);
    assert.equal(entries().length, 1);
    markEntry();
    const second = await loadPlaybookCached(site, {}, cache);
    assert.equal(second.plays[0]!.name, 'FROM THE CACHE');
    assert.deepEqual({ ...second, plays: second.plays.map((p) => ({ ...p, name: fresh.plays[0]!.name })) }, fresh);
  });

  const changes: [string, () => void, (pb: Playbook) => void][] = [
    ['an imported task file changes', () => write('more.yaml', '- name: changed\n  debug: { msg: hi }\n'), (pb) => assert.ok(taskNames(pb).includes('"name":"changed"'))],
    ["a role's task file changes", () => write('roles/web/tasks/main.yml', '- name: other web task\n  command: /bin/true\n- import_tasks: shared.yaml\n'), (pb) => assert.ok(taskNames(pb).includes('"name":"other web task"'))],
    ['a task file appears where the import looks first', () => write('roles/web/tasks/shared.yaml', '- name: the role\'s own\n  command: /bin/true\n'), (pb) => assert.ok(taskNames(pb).includes('"name":"the role\'s own"'))],
    ['a role file that was missing appears (defaults/main.yml)', () => write('roles/web/defaults/main.yml', 'port: 8080\n'), (pb) => assert.ok(JSON.stringify(pb).includes('"port":8080'))],
  ];
  for (const [what, change, check] of changes) {
    it(`loads again when ${what}`, async () => {
      await loadPlaybookCached(site, {}, cache);
      markEntry();
      change();
      const pb = await loadPlaybookCached(site, {}, cache);
      assert.notEqual(pb.plays[0]!.name, 'FROM THE CACHE');
      check(pb);
    });
  }

  it('loads again, and reports, when a template the load checked gets an unknown filter', async () => {
    await loadPlaybookCached(site, {}, cache);
    write('templates/motd.j2', 'hello {{ inventory_hostname | upperr }}\n');
    await assert.rejects(loadPlaybookCached(site, {}, cache), /unknown filter 'upperr'/);
  });

  it('loads again when a role appears earlier on the search path (the roles path differs from the key)', async () => {
    write('elsewhere/web/tasks/main.yml', '- name: elsewhere task\n  command: /bin/true\n');
    const opts = { rolesPath: [join(dir, 'elsewhere')] };
    assert.ok(taskNames(await loadPlaybookCached(site, opts, cache)).includes('"name":"web task"'), 'roles/ next to the playbook comes first');
    rmSync(join(dir, 'roles'), { recursive: true });
    assert.ok(taskNames(await loadPlaybookCached(site, opts, cache)).includes('"name":"elsewhere task"'));
  });

  it('never keeps a load with problems: the error comes every time', async () => {
    write('more.yaml', '- name: typo\n  debgu: { msg: hi }\n');
    for (let i = 0; i < 2; i++) await assert.rejects(loadPlaybookCached(site, {}, cache), (e: unknown) => e instanceof Error && /unknown module 'debgu'|debgu/.test(e.message));
    assert.deepEqual(entries(), []);
  });

  const uncacheable: [string, string][] = [
    ['a !unsafe value (an object of its own)', '- debug: { msg: !unsafe "{{ raw }}" }\n'],
    ['a 1.0 float (kept a float, as Python does)', '- debug: { msg: 1.0 }\n'],
    ['a templated role name (rendered while loading)', '- include_role: { name: web }\n'],
  ];
  for (const [what, tasks] of uncacheable) {
    it(`does not keep ${what}`, async () => {
      write('more.yaml', tasks);
      if (what.includes('role name')) write('site.yaml', '- hosts: all\n  vars: { r: web }\n  roles: [{ role: "{{ r }}" }]\n  tasks: []\n');
      const pb = await loadPlaybookCached(site, {}, cache);
      assert.deepEqual(entries(), []);
      assert.deepEqual(pb, await loadPlaybook(site));
      const msg = flat(pb.plays[0]!.tasks).find((t) => t.action === 'debug')?.args.msg;
      if (what.includes('unsafe')) assert.ok(msg instanceof UnsafeText);
      if (what.includes('float')) assert.ok(msg instanceof PyFloat);
    });
  }

  it('tells plain data from what the serializer would not give back as it was', () => {
    const shared = { a: 1 };
    assert.equal(isPlainData({ x: [1, 'a', null, undefined, true, { y: shared, z: shared }] }), true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(isPlainData(cyclic), true);
    assert.equal(isPlainData({ f: new PyFloat(1) }), false);
    assert.equal(isPlainData([new Map()]), false);
    assert.equal(isPlainData({ [Symbol('s')]: 1 }), false);
    assert.equal(isPlainData({ f: () => 1 }), false);
    assert.equal(isPlainData(Object.defineProperty({}, 'hidden', { value: 1, enumerable: false })), false);
  });

  it('is the bin\'s only: none outside the bundle, none with KELPIE_NO_CACHE, in XDG_CACHE_HOME or ~/.cache', () => {
    assert.equal(loadCacheFor({ HOME: '/home/u' }), undefined, 'run from the sources there is no build id');
    assert.deepEqual(loadCacheFor({ HOME: '/home/u' }, 'abcdefabcdefabcd'), { dir: '/home/u/.cache/kelpie/playbooks', buildId: 'abcdefabcdefabcd' });
    assert.deepEqual(loadCacheFor({ HOME: '/home/u', XDG_CACHE_HOME: '/var/c' }, 'abcdefabcdefabcd')?.dir, '/var/c/kelpie/playbooks');
    assert.equal(loadCacheFor({ HOME: '/home/u', KELPIE_NO_CACHE: '1' }, 'abcdefabcdefabcd'), undefined);
    assert.ok(loadCacheFor({ HOME: '/home/u', KELPIE_NO_CACHE: '0' }, 'abcdefabcdefabcd'));
  });

  it('keys entries by build, working directory and roles path, and ignores an entry it cannot read', async () => {
    const a = entryFile(cache, site, {}, '/a');
    assert.notEqual(a, entryFile({ ...cache, buildId: 'fedcba9876543210' }, site, {}, '/a'));
    assert.notEqual(a, entryFile(cache, site, {}, '/b'));
    assert.notEqual(a, entryFile(cache, site, { rolesPath: ['/r'] }, '/a'));
    mkdirSync(cache.dir, { recursive: true });
    writeFileSync(entryFile(cache, site, {}, process.cwd()), 'not a v8 serialization');
    assert.deepEqual(await loadPlaybookCached(site, {}, cache), await loadPlaybook(site));
  });

  it('does not keep a load that read an inline !vault value (a secret)', async () => {
    const vault = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vault');
    addVaultSecret({ label: 'default', password: Buffer.from(readFileSync(join(vault, 'password.txt'), 'utf8').trim()) });
    try {
      const inline = readFileSync(join(vault, 'inline-1.1.yml'), 'utf8').replace(/^inline_secret: /, '').replace(/\n {10}/g, '\n        ');
      write('site.yaml', `- hosts: all\n  vars:\n    inline_secret: ${inline.trimEnd()}\n  tasks:\n    - debug: { msg: hi }\n`);
      const pb = await loadPlaybookCached(site, {}, cache);
      assert.equal(pb.plays[0]!.vars?.inline_secret, 'inline-secret-value', 'the value was opened');
      assert.deepEqual(entries(), []);
    } finally {
      resetVault();
    }
  });

  it('sees every look the loader takes at the disk: only the recording helpers of src/playbook import node:fs', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '../../src/playbook');
    const touching = readdirSync(src).filter((f) => /from 'node:fs(\/promises)?'/.test(readFileSync(join(src, f), 'utf8'))).sort();
    // a new one must call noteRead/noteProbe (loadRecord.ts) for what it reads, or the cache would miss its changes
    assert.deepEqual(touching, ['loadCache.ts', 'loadRecord.ts', 'rolefiles.ts', 'source.ts', 'templateNames.ts']);
  });
});
