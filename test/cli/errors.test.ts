import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/cli');
const pb = (f: string): string => join(dir, f);

describe('cli: bad input gets one clear line with file:line:col', () => {
  it('YAML syntax error: exit 4, position of the problem, no stack trace', async () => {
    const r = await runCli(['playbook', pb('yaml-error.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, new RegExp(`${pb('yaml-error.yaml').replace(/[.]/g, '\\.')}:5:\\d+: `));
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace below -vvv');
  });

  it("unknown module: did you mean 'lineinfile'?", async () => {
    const r = await runCli(['playbook', pb('unknown-module.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /unknown-module\.yaml:5:7: .*unknown module 'lineinfle' \(did you mean 'lineinfile'\?\)/);
  });

  it("unknown argument: did you mean 'msg'?", async () => {
    const r = await runCli(['playbook', pb('unknown-arg.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /unknown-arg\.yaml:6:9: .*unknown argument 'mgs' \(did you mean 'msg'\?\)/);
  });

  it("mistyped keyword: did you mean 'when'?", async () => {
    const r = await runCli(['playbook', pb('bad-keyword.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /bad-keyword\.yaml:7:7: .*'whn'.*did you mean 'when'\?/);
  });

  it('undefined variable: the task fails naming the variable and the task position, exit 2', async () => {
    const r = await runCli(['playbook', pb('undefined-var.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 2);
    assert.match(r.out, /fatal: \[localhost\]: FAILED!/);
    assert.match(r.out, /undefined-var\.yaml:4:7: .*'not_defined_anywhere' is undefined/);
  });

  it('unknown option: exit 5 with a suggestion', async () => {
    const r = await runCli(['playbook', pb('ok.yaml'), '-i', 'localhost,', '--chek']);
    assert.equal(r.code, 5);
    assert.match(r.err, /unknown option '--chek' \(did you mean '--check'\?\)/);
  });

  it('a good playbook runs on localhost and prints the recap, exit 0', async () => {
    const r = await runCli(['playbook', pb('ok.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /"msg": "hello kelpie"/);
    assert.match(r.out, /localhost\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=0/);
  });
});

describe('cli: bad host patterns', () => {
  it('a bad --limit is a bad option: exit 5, names the option', async () => {
    const r = await runCli(['playbook', pb('ok.yaml'), '-i', 'localhost,', '--limit', '~(unclosed']);
    assert.equal(r.code, 5);
    assert.match(r.err, /--limit: invalid host pattern '~\(unclosed'/);
  });

  it("a play's bad hosts pattern points at the play, before any host runs", async () => {
    const r = await runCli(['playbook', pb('bad-pattern.yaml'), '-i', 'localhost,']);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /bad-pattern\.yaml:5:3: invalid host pattern '~\(bad'/);
    assert.doesNotMatch(r.out, /TASK \[first\]/);
  });
});
