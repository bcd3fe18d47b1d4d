import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/runCli.js';

/** What `ansible` printed for each case (test/fixtures/adhoc/record.sh). */
function golden(): Map<string, { out: string; rc: number }> {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/adhoc/golden.txt'), 'utf8');
  const cases = new Map<string, { out: string; rc: number }>();
  for (const m of text.matchAll(/### (.+)\n([\s\S]*?)### rc=(\d+)\n/g)) cases.set(m[1]!, { out: m[2]!, rc: Number(m[3]) });
  return cases;
}

describe('kelpie run: the ad-hoc command, in the output shape of ansible', () => {
  const ansible = golden();
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-adhoc-'));
  const adhoc = (...argv: string[]) => runCli(['run', 'localhost', '-i', 'localhost,', ...argv]);
  const same = async (name: string, ...argv: string[]): Promise<void> => {
    const want = ansible.get(name)!;
    const r = await adhoc(...argv);
    assert.equal(r.out, want.out, name);
    assert.equal(r.code, want.rc, name);
  };

  it('debug, fail, command, shell and check mode print exactly what ansible prints', async () => {
    assert.equal(ansible.size, 7);
    await same('debug msg', '-m', 'debug', '-a', 'msg=hey');
    await same('fail', '-m', 'fail', '-a', 'msg=nope');
    await same('command ok', '-a', 'echo hello');
    await same('shell fails', '-m', 'shell', '-a', 'echo out; exit 3');
    await same('command in check mode', '-m', 'command', '-a', 'echo hello', '--check');
  });

  it('a module with a JSON result: host | CHANGED => {sorted JSON}, then SUCCESS', async () => {
    for (const name of ['copy changes', 'copy again']) {
      const want = ansible.get(name)!;
      const r = await adhoc('-m', 'ansible.builtin.copy', '-a', `content=hi dest=${dir}/f.txt`);
      assert.equal(r.code, want.rc);
      const [head, ...body] = r.out.split('\n');
      assert.equal(head, want.out.split('\n')[0]);
      const json = JSON.parse(`{${body.join('\n')}`) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json), Object.keys(json).sort(), 'keys sorted as Python json.dumps(sort_keys=True)');
      assert.equal(json.changed, name === 'copy changes');
      assert.equal(json.dest, `${dir}/f.txt`);
    }
    assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), 'hi');
  });

  it('--check --diff shows the diff and changes nothing', async () => {
    const r = await adhoc('-m', 'copy', '-a', `content=other dest=${dir}/f.txt`, '--check', '--diff');
    assert.equal(r.code, 0);
    assert.match(r.out, /^--- .*f\.txt\n\+\+\+ .*f\.txt\n@@ -1,1 \+1,1 @@\n-hi\n\\ No newline at end of file\n\+other\n\\ No newline at end of file\nlocalhost \| CHANGED => \{/);
    assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), 'hi');
  });

  it('an unknown module or argument is a bad option naming -m/-a, with a did-you-mean', async () => {
    const mod = await adhoc('-m', 'cpy', '-a', 'dest=/x');
    assert.equal(mod.code, 5);
    assert.equal(mod.err, "ERROR! -m cpy -a 'dest=/x': unknown module 'cpy' (did you mean 'copy'?)\n");
    const arg = await adhoc('-m', 'copy', '-a', 'contnet=x dest=/x');
    assert.equal(arg.code, 5);
    assert.match(arg.err, /^ERROR! -m copy -a 'contnet=x dest=\/x': .*unknown argument 'contnet' \(did you mean 'content'\?\)\n$/);
  });
});
