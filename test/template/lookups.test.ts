import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Templar } from '../../src/template/index.js';

const base = mkdtempSync(join(tmpdir(), 'kelpie-lookup-'));
const extra = mkdtempSync(join(tmpdir(), 'kelpie-lookup-extra-'));
writeFileSync(join(base, 'motd.txt'), 'welcome\n\n');
mkdirSync(join(base, 'templates'));
writeFileSync(join(base, 'templates', 'conf.j2'), 'port={{ port }}\n{% if tls %}\ntls=on\n{% endif %}\n');
writeFileSync(join(extra, 'other.txt'), 'from search path');

const t = new Templar({ baseDir: base, searchPaths: [extra] });
const vars = { port: 8080, tls: true, name_of_var: 'port', lst: [1, 2] };

describe('lookups', () => {
  it("file: reads relative to baseDir, then searchPaths, stripping trailing whitespace", () => {
    assert.equal(t.render("{{ lookup('file', 'motd.txt') }}", vars), 'welcome');
    assert.equal(t.render("{{ lookup('file', 'other.txt') }}", vars), 'from search path');
    assert.equal(t.render(`{{ lookup('file', '${join(base, 'motd.txt')}', rstrip=false) }}`, vars), 'welcome\n\n');
    assert.throws(() => t.render("{{ lookup('file', 'missing.txt') }}", vars), /could not locate file in lookup: missing.txt/);
  });
  it('env: reads the controller environment', () => {
    process.env['KELPIE_TEST_ENV'] = 'v1';
    assert.equal(t.render("{{ lookup('env', 'KELPIE_TEST_ENV') }}", vars), 'v1');
    assert.equal(t.render("{{ lookup('env', 'KELPIE_SURELY_UNSET') }}", vars), '');
  });
  it('template: renders a file (found under templates/) with the same vars', () => {
    assert.equal(t.render("{{ lookup('template', 'conf.j2') }}", vars), 'port=8080\ntls=on\n');
  });
  it('pipe: runs a command on the controller', () => {
    assert.equal(t.render("{{ lookup('pipe', 'echo hi; echo there') }}", vars), 'hi\nthere');
    assert.throws(() => t.render("{{ lookup('pipe', 'exit 3') }}", vars), /command failed/);
  });
  it('vars: looks a variable up by name, rendering it lazily', () => {
    assert.equal(t.evaluate("lookup('vars', name_of_var)", vars), 8080);
    assert.equal(t.render("{{ lookup('vars', 'nope', default='d') }}", vars), 'd');
    assert.throws(() => t.render("{{ lookup('vars', 'nope') }}", vars), /No variable found with this name: nope/);
  });
  it('query/q and wantlist return lists; lookup joins strings with commas', () => {
    assert.deepEqual(t.render("{{ query('env', 'HOME', 'KELPIE_TEST_ENV') }}", vars), [process.env['HOME'], 'v1']);
    assert.equal(t.render("{{ lookup('env', 'KELPIE_TEST_ENV', 'KELPIE_TEST_ENV') }}", vars), 'v1,v1');
    assert.deepEqual(t.render("{{ lookup('file', 'motd.txt', wantlist=True) }}", vars), ['welcome']);
    assert.deepEqual(t.render("{{ q('items', lst) }}", vars), [1, 2]);
  });
  it('names an unsupported lookup', () => {
    assert.throws(() => t.render("{{ lookup('hashi_vault', 'x') }}", vars), /lookup plugin \(hashi_vault\) not found/);
  });
});
