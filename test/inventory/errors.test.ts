import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { fixture } from './helpers.js';

async function errorOf(name: string): Promise<ConfigError> {
  try {
    await loadInventory([fixture('errors', name)]);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`${name} loaded without error`);
}

// [fixture, line, col, message pattern, hint pattern]
const CASES: Array<[string, number, number, RegExp, RegExp]> = [
  ['typo-children.yml', 4, 7, /unexpected key 'childern'/, /did you mean 'children'/],
  ['hosts-list.yml', 5, 9, /'hosts' of group 'web' must be a mapping, found a list/, /key ending in a colon/],
  ['var-as-group-key.yml', 6, 7, /group 'web' has an unexpected key 'ansible_user'/, /under 'vars:'/],
  ['syntax.yml', 4, 21, /YAML syntax error: Missing closing "quote/, /indentation/],
  ['host-scalar.yml', 3, 11, /host 'web1' .* found the string "10.0.0.1"/, /ansible_host/],
  ['top-hosts.yml', 1, 1, /top-level key 'hosts'/, /nest it under 'all:'/],
  ['bad-host-line.ini', 2, 28, /expected key=value host variable assignment, got 'junk'/, /quote/],
  ['undefined-child.ini', 6, 1, /\[prod:children\] includes undefined group 'dbs'/, /\[dbs\]/],
  ['var-in-hosts.ini', 3, 1, /'ansible_user=deploy' looks like a variable/, /\[web:vars\]/],
  ['bad-section.ini', 3, 1, /\[web:child\] has unknown type/, /\[group:children\]/],
  ['vars-undeclared.ini', 4, 1, /\[dbx:vars\] is for a group that is never declared/, /declare it/],
];

describe('inventory errors', () => {
  for (const [name, line, col, message, hint] of CASES) {
    it(`points at ${name}:${line}:${col}`, async () => {
      const e = await errorOf(name);
      assert.equal(e.loc?.file, fixture('errors', name));
      assert.deepEqual([e.loc?.line, e.loc?.col], [line, col]);
      assert.match(e.message, message);
      assert.match(e.hint ?? '', hint);
    });
  }

  it('suggests hosts for host and vars for var', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    await writeFile(join(dir, 'a.yml'), 'all:\n  host:\n    w1:\n');
    await writeFile(join(dir, 'b.yml'), 'all:\n  var:\n    x: 1\n');
    await assert.rejects(loadInventory([join(dir, 'a.yml')]), (e: ConfigError) => /did you mean 'hosts'/.test(e.hint ?? ''));
    await assert.rejects(loadInventory([join(dir, 'b.yml')]), (e: ConfigError) => /did you mean 'vars'/.test(e.hint ?? ''));
  });

  it('rejects a missing source and a group cycle', async () => {
    await assert.rejects(loadInventory(['/nonexistent/hosts']), /does not exist/);
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    await writeFile(join(dir, 'c.ini'), '[a]\n[b:children]\na\n[a:children]\nb\n');
    await assert.rejects(loadInventory([join(dir, 'c.ini')]), (e: ConfigError) => /recursive/.test(e.message) && e.loc?.line === 5);
  });
});
