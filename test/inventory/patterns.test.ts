import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { fixture } from './helpers.js';

// Every expectation below is what `ansible -i patterns.yml PATTERN --list-hosts` prints (ansible-core 2.14).
const CASES: Array<[string, string]> = [
  ['all', 'h0 w1 w2 w3 w0 d1 d2 o1 c1'],
  ['web', 'w1 w2 w3 w0 c1'],
  ['web:db', 'w1 w2 w3 w0 c1 d1 d2'],
  ['db:web', 'd1 d2 w1 w2 w3 w0 c1'],
  ['web,db', 'w1 w2 w3 w0 c1 d1 d2'],
  ['other:web', 'w1 o1 w2 w3 w0 c1'],
  ['web:&other', 'w1'],
  ['all:!web', 'h0 d1 d2 o1'],
  ['!web', 'h0 d1 d2 o1'],
  ['&web', 'w1 w2 w3 w0 c1'],
  ['web:!webc', 'w1 w2 w0'],
  ['~w[0-2]', 'w1 w2 w0'],
  ['~(web|db).*', 'w1 w2 w3 w0 c1 d1 d2'],
  ['w*', 'w1 w2 w3 w0 c1'],
  ['d?', 'd1 d2'],
  ['w[0-1]', ''], // a (deprecated) x-y subscript on 'w', not a glob
  ['w[!0-2]', 'w3'],
  ['web[0]', 'w1'],
  ['web[-1]', 'c1'],
  ['web[0:2]', 'w1 w2 w3'],
  ['web[1:]', 'w2 w3 w0 c1'],
  ['web[0:1]:db[1]', 'w1 w2 d2'],
  ['c1:w1:h0', 'c1 w1 h0'],
  ['ungrouped', 'h0'],
  ['localhost', 'localhost'],
  ['nope', ''],
];

describe('inventory host patterns', () => {
  const inv = () => loadInventory([fixture('patterns.yml')]);

  it('orders all hosts breadth first through the group tree, like Ansible', async () => {
    assert.deepEqual((await inv()).hosts(), ['h0', 'w1', 'w2', 'w3', 'w0', 'd1', 'd2', 'o1', 'c1']);
  });

  for (const [pattern, expected] of CASES) {
    it(`selects '${pattern}'`, async () => {
      assert.deepEqual((await inv()).select(pattern), expected ? expected.split(' ') : []);
    });
  }

  it('warns about terms that match nothing and ignores them', async () => {
    const i = await inv();
    assert.deepEqual(i.select('nope:db'), ['d1', 'd2']);
    assert.ok(i.warnings.includes('Could not match supplied host pattern, ignoring: nope'));
  });

  it('intersects with --limit, including @file limits', async () => {
    const i = await inv();
    assert.deepEqual(i.select('web', 'w3,d2'), ['w3']);
    assert.deepEqual(i.select('all', '!web'), ['h0', 'd1', 'd2', 'o1']);
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    await writeFile(join(dir, 'retry'), 'w1\n\nd1\nw3\n');
    assert.deepEqual(i.select('web', `@${join(dir, 'retry')}`), ['w1', 'w3']);
    assert.throws(() => i.select('web', '@/nonexistent/limit'), ConfigError);
  });

  it('rejects a malformed regex or an empty pattern with ConfigError', async () => {
    const i = await inv();
    assert.throws(() => i.select('~(web'), ConfigError);
    assert.throws(() => i.select('  '), ConfigError);
  });

  it('does not resolve localhost implicitly when disabled', async () => {
    const i = await loadInventory([fixture('patterns.yml')], { defaultLocalhost: false });
    assert.deepEqual(i.select('localhost'), []);
  });
});
