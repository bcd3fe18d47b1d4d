import assert from 'node:assert/strict';
import { allModules, getModule, loadModules } from '../../src/modules/index.js';
import { runCli } from '../helpers/runCli.js';

describe('kelpie doc: generated from the argument specs', () => {
  it('doc MODULE lists every argument of the spec with its type, default, choices and aliases', async () => {
    loadModules();
    const r = await runCli(['doc', 'ansible.builtin.copy']);
    assert.equal(r.code, 0);
    const spec = getModule('copy')!.args as Record<string, unknown>;
    const documented = [...r.out.matchAll(/^ {2}(\w+) +\S/gm)].map((m) => m[1]);
    assert.deepEqual(documented, Object.keys(spec).sort());
    assert.match(r.out, /^ {2}dest +path; required$/m);
    assert.match(r.out, /^ {2}force +bool; default: true; aliases: thirsty$/m);
  });

  it('doc --list names every module once; an unknown module gets a did-you-mean (exit 5)', async () => {
    const list = await runCli(['doc', '--list']);
    assert.equal(list.code, 0);
    assert.deepEqual(list.out.trim().split('\n').map((l) => l.split(/\s+/)[0]), allModules().map((m) => m.name));
    const bad = await runCli(['doc', 'lineinfle']);
    assert.equal(bad.code, 5);
    assert.equal(bad.err, "ERROR! unknown module 'lineinfle' (did you mean 'lineinfile'?)\n");
  });
});
