import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import { expandHostRange } from '../../src/inventory/hostRange.js';
import { parsePythonLiteral } from '../../src/template/pyLiteral.js';
import { fixture } from './helpers.js';

describe('inventory sources', () => {
  it('reads the same hosts, groups and vars from equivalent YAML and INI files', async () => {
    const y = await loadInventory([fixture('equiv/hosts.yml')]);
    const i = await loadInventory([fixture('equiv/hosts.ini')]);
    const expected = ['lone', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-legacy', 'db-a', 'db-b', 'db-c'];
    assert.deepEqual(y.hosts(), expected);
    assert.deepEqual(i.hosts(), expected);
    for (const h of expected) {
      const strip = (v: Record<string, unknown>): Record<string, unknown> => {
        const { inventory_file: _f, inventory_dir: _d, ...rest } = v;
        return rest;
      };
      assert.deepEqual(strip(i.hostVars(h)), strip(y.hostVars(h)), h);
      assert.deepEqual(i.groupsOf(h), y.groupsOf(h), h);
    }
    assert.deepEqual(y.hostVars('web02.example.com').http_port, 80);
    assert.equal(y.hostVars('web02.example.com').debug, false);
    assert.equal(y.hostVars('web-legacy').ansible_port, 2222);
    assert.equal(i.hostVars('lone').answer, 42);
    assert.deepEqual(y.groupsOf('db-b'), ['db', 'prod']);
    assert.deepEqual(y.groupsOf('lone'), ['ungrouped']);
  });

  it('expands numeric, zero-padded, alphabetic and strided host ranges', () => {
    assert.deepEqual(expandHostRange('web[01:03].x'), ['web01.x', 'web02.x', 'web03.x']);
    assert.deepEqual(expandHostRange('db-[a:c]'), ['db-a', 'db-b', 'db-c']);
    assert.deepEqual(expandHostRange('n[1:10:4]'), ['n1', 'n5', 'n9']);
    assert.deepEqual(expandHostRange('r[1:2]c[a:b]'), ['r1ca', 'r1cb', 'r2ca', 'r2cb']);
    assert.throws(() => expandHostRange('w[01:100]'), /same width/);
  });

  it('parses INI values as Python literals and keeps the rest as strings', () => {
    assert.equal(parsePythonLiteral('42'), 42);
    assert.equal(parsePythonLiteral('True'), true);
    assert.equal(parsePythonLiteral('None'), null);
    assert.equal(parsePythonLiteral('yes'), 'yes');
    assert.equal(parsePythonLiteral('042'), '042');
    assert.deepEqual(parsePythonLiteral("[1, 'a', (2, 3)]"), [1, 'a', [2, 3]]);
    assert.deepEqual(parsePythonLiteral("{'k': -1.5}"), { k: -1.5 });
    assert.equal(parsePythonLiteral('bar # comment'), 'bar # comment');
  });

  it('reads INI host-line quoting and comments like shlex', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    const file = join(dir, 'hosts.ini');
    await writeFile(file, "[web]\nw1 motd='hello world' list=\"[1,2]\" # trailing comment\n; a comment\n[web:vars]\nx=yes\n");
    const inv = await loadInventory([file]);
    const v = inv.hostVars('w1');
    assert.equal(v.motd, 'hello world');
    assert.deepEqual(v.list, [1, 2]);
    assert.equal(v.x, 'yes');
    assert.equal(v.inventory_file, file);
  });

  it('detects the format of a file without extension by its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    await writeFile(join(dir, 'yamlish'), 'all:\n  hosts:\n    y1:\n');
    await writeFile(join(dir, 'iniish'), 'i1\n[g]\ni2\n');
    const inv = await loadInventory([join(dir, 'yamlish'), join(dir, 'iniish')]);
    assert.deepEqual(inv.hosts(), ['y1', 'i1', 'i2']);
  });

  it('reads every inventory file of a directory, skipping ignored ones, with its group_vars', async () => {
    const inv = await loadInventory([fixture('dir')]);
    assert.deepEqual(inv.hosts(), ['w1', 'w2', 'd1']);
    assert.deepEqual(inv.groupsMap().prod, ['w1', 'w2', 'd1']);
    assert.equal(inv.hostVars('d1').from_dir, true);
  });

  it('accepts a comma list with ports, and several sources', async () => {
    const inv = await loadInventory(['h1,h2:2222,', fixture('equiv/hosts.yml')]);
    assert.equal(inv.hasHost('h1'), true);
    assert.equal(inv.hostVars('h2').ansible_port, 2222);
    assert.deepEqual(inv.groupsMap().ungrouped, ['h1', 'h2', 'lone']);
  });

  it('loads a 5,000-host inventory and merges vars for every host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-inv-'));
    const file = join(dir, 'big.yml');
    await writeFile(file, 'all:\n  vars: {a: 1}\n  children:\n    web:\n      vars: {b: 2}\n      hosts:\n        web[0001:5000]:\n');
    const inv = await loadInventory([file]);
    const hosts = inv.hosts();
    assert.equal(hosts.length, 5000);
    for (const h of hosts) assert.equal(inv.hostVars(h).b, 2);
    assert.equal(inv.select('web[4999]')[0], 'web5000');
  });
});
