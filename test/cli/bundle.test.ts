/**
 * The `kelpie` bin is dist/kelpie, a sh script that starts Node from the startup snapshot
 * dist/kelpie.blob (snapshot.test.ts), or else runs dist/kelpie.mjs, a launcher that runs
 * dist/kelpie.cjs, an esbuild bundle, with V8's code cache (scripts/bundle.mjs), while every
 * other test runs src/ through tsx. These run what ships: the bin is built fresh into a
 * directory inside the repository (where it finds node_modules/ssh2 and the data files, as the
 * installed bin does) and started as a process: the launcher (the fallback) with node, the
 * bundle's behaviour through both.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireSshd, startSshd, type Sshd } from '../connection/sshd-fixture.js';
import { buildBin, root, runBin } from './builtBin.js';

describe('the built bin (dist/kelpie.mjs, a launcher, and dist/kelpie.cjs, one esbuild bundle)', function () {
  let buildDir: string;
  let bin: string;
  let work: string;
  before(() => {
    buildDir = buildBin();
    bin = join(buildDir, 'kelpie.mjs');
    work = mkdtempSync(join(tmpdir(), 'kelpie-bundle-'));
  });
  after(() => {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("is a launcher importing only Node's own modules, and one ASCII bundle with its build id and source map", () => {
    const launcher = readFileSync(bin, 'utf8');
    assert.match(launcher, /^#!\/usr\/bin\/env node\n/);
    const imports = [...launcher.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    assert.ok(imports.includes('node:vm'));
    assert.deepEqual(imports.filter((s) => !isBuiltin(s)), []);
    const bundle = readFileSync(join(buildDir, 'kelpie.cjs'), 'utf8');
    assert.match(bundle, /^\/\/kelpie-build [0-9a-f]{16}\n/);
    assert.match(bundle, /\/\/# sourceMappingURL=kelpie\.cjs\.map\s*$/);
    assert.ok(readFileSync(join(buildDir, 'kelpie.cjs')).every((b) => b < 0x80), 'the bundle is ASCII');
    const map = JSON.parse(readFileSync(join(buildDir, 'kelpie.cjs.map'), 'utf8')) as { sources: string[] };
    assert.ok(map.sources.some((s) => s.endsWith('src/cli/main.ts')));
    // only Node's own modules are required when it starts: ssh2 on first connect (see below),
    // chokidar never (nunjucks' watch mode, which kelpie does not use)
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    assert.deepEqual([...new Set(required.filter((s) => !isBuiltin(s)))], ['chokidar']);
  });

  it('prints its version', async () => {
    const r = await runBin(bin, ['--version']);
    assert.deepEqual([r.code, r.out], [0, 'kelpie 0.1.0\n']);
  });

  it('syntax-checks playbooks/site.yaml (seven imported playbooks)', async () => {
    const r = await runBin(bin, ['playbook', 'playbooks/site.yaml', '--syntax-check']);
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.trim(), 'playbook: playbooks/site.yaml');
  });

  it('locates a mistyped argument with a did-you-mean (the module specs are in the bundle)', async () => {
    const pb = join(work, 'bad.yaml');
    writeFileSync(pb, '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy:\n        dset: /tmp/x\n        content: hi\n');
    const r = await runBin(bin, ['playbook', pb, '--syntax-check']);
    assert.equal(r.code, 4);
    assert.equal(r.out, `ERROR! ${pb}:5:9: task 'copy': unknown argument 'dset' (did you mean 'dest'?)\n`);
  });

  it('shows a module document generated from its spec', async () => {
    const r = await runBin(bin, ['doc', 'lineinfile']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /regexp/);
  });

  it('runs a playbook on the local connection: template with Python semantics, copy, command; the rerun changes nothing', async () => {
    writeFileSync(join(work, 'motd.j2'), 'items={{ [1, 2] }} upper={{ "a".upper() }} host={{ inventory_hostname }}\n');
    const pb = join(work, 'local.yaml');
    writeFileSync(
      pb,
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        `    - template: { src: motd.j2, dest: "${work}/motd" }`,
        `    - copy: { dest: "${work}/copied", content: "hello\\n" }`,
        `    - command: touch ${work}/made`,
        `      args: { creates: "${work}/made" }`,
        '',
      ].join('\n'),
    );
    const first = await runBin(bin, ['playbook', pb, '-i', 'localhost,'], work);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /localhost +: ok=3 +changed=3 /);
    assert.equal(readFileSync(join(work, 'motd'), 'utf8'), 'items=[1, 2] upper=A host=localhost\n');
    assert.equal(readFileSync(join(work, 'copied'), 'utf8'), 'hello\n');
    const again = await runBin(bin, ['playbook', pb, '-i', 'localhost,'], work);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /localhost +: ok=3 +changed=0 /);
  });

  it('maps a -vvv stack trace back to src/ under --enable-source-maps', async () => {
    const r = await runBin(bin, ['playbook', join(work, 'missing.yaml'), '-vvv'], root, { NODE_OPTIONS: '--enable-source-maps' });
    assert.equal(r.code, 5, r.out);
    assert.match(r.out, /ERROR! the playbook: .*missing\.yaml could not be found/);
    assert.match(r.out, /at runPlaybooks \(.*src\/cli\/playbook\.ts:\d+:\d+\)/);
  });

  describe("V8's code cache (src/cli/codeCache.ts)", () => {
    const cacheFile = (): string => join(buildDir, 'kelpie.v8cache');
    const header = (): string => {
      const id = /^\/\/kelpie-build ([0-9a-f]+)\n/.exec(readFileSync(join(buildDir, 'kelpie.cjs'), 'latin1'))?.[1];
      return `kelpie-v8cache ${id} ${process.version} ${process.arch}\n`;
    };
    const headerOf = (file: string): string => readFileSync(file).toString('latin1', 0, header().length);
    const identity = (file: string): [number, number] => {
      const st = statSync(file);
      return [st.ino, st.mtimeMs];
    };
    async function syntaxCheck(env: NodeJS.ProcessEnv = {}): Promise<void> {
      const r = await runBin(bin, ['playbook', 'playbooks/site.yaml', '--syntax-check'], root, env);
      assert.equal(r.code, 0, r.out);
      assert.equal(r.out.trim(), 'playbook: playbooks/site.yaml');
    }

    it('is filled by the build, beside the bundle, and a start that can use it leaves it alone', async () => {
      assert.equal(headerOf(cacheFile()), header());
      const before = identity(cacheFile());
      await syntaxCheck();
      assert.deepEqual(identity(cacheFile()), before);
    });

    const spoiled: [string, (data: Buffer) => Buffer][] = [
      ["another build's", (data) => Buffer.concat([Buffer.from(header().replace(/ [0-9a-f]{16} /, ' 0123456789abcdef '), 'latin1'), data])],
      ['cut short', (data) => Buffer.concat([Buffer.from(header(), 'latin1'), data.subarray(0, data.length >> 1)])],
      ['not V8 data', (data) => Buffer.concat([Buffer.from(header(), 'latin1'), Buffer.alloc(data.length, 0x5a)])],
    ];
    for (const [what, spoil] of spoiled) {
      it(`a cache that is ${what} is not used, and the run replaces it`, async () => {
        const good = readFileSync(cacheFile()).subarray(header().length);
        const bad = spoil(good);
        writeFileSync(cacheFile(), bad);
        await syntaxCheck();
        const now = readFileSync(cacheFile());
        assert.equal(headerOf(cacheFile()), header());
        assert.ok(!now.equals(bad));
        assert.ok(now.length > 100_000, `${now.length} bytes`);
      });
    }

    it("goes to the user's cache directory when the bundle's directory cannot take it, and a start without any cache still runs", async () => {
      const xdg = join(work, 'xdg');
      rmSync(cacheFile());
      mkdirSync(cacheFile()); // neither readable nor replaceable as a file
      try {
        await syntaxCheck({ XDG_CACHE_HOME: xdg });
        const userCache = join(xdg, 'kelpie', 'kelpie.v8cache');
        assert.equal(headerOf(userCache), header());
        const before = identity(userCache);
        await syntaxCheck({ XDG_CACHE_HOME: xdg });
        assert.deepEqual(identity(userCache), before);
        // a cache directory that cannot be made either: no cache at all, same result
        const blocked = join(work, 'blocked');
        writeFileSync(blocked, '');
        await syntaxCheck({ XDG_CACHE_HOME: join(blocked, 'cache') });
      } finally {
        rmSync(cacheFile(), { recursive: true });
      }
    });
  });

  describe('over ssh (ssh2 is loaded from node_modules on the first connection)', function () {
    let d: Sshd;
    before(async function () {
      requireSshd(this);
      d = await startSshd();
    });
    after(async () => d?.stop());

    for (const name of ['kelpie', 'kelpie.mjs']) {
      it(`gathers facts and runs a command on a real sshd (${name === 'kelpie' ? 'the bin, from its snapshot' : 'the launcher'})`, async () => {
        const inv = join(work, 'inv.yaml');
        writeFileSync(
          inv,
          `all:\n  hosts:\n    box:\n      ansible_host: 127.0.0.1\n      ansible_port: ${d.port}\n      ansible_user: root\n` +
            `      ansible_ssh_private_key_file: ${d.clientKey}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${d.knownHosts} -o StrictHostKeyChecking=yes\n`,
        );
        const pb = join(work, 'ssh.yaml');
        writeFileSync(pb, '- hosts: all\n  tasks:\n    - command: echo "{{ ansible_facts.system }}"\n      register: r\n    - debug: { var: r.stdout }\n');
        const r = await runBin(join(buildDir, name), ['playbook', pb, '-i', inv], work);
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /"r\.stdout": "Linux"/);
        assert.match(r.out, /box +: ok=3 +changed=1 /);
      });
    }
  });
});
