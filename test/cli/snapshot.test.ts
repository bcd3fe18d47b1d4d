/**
 * The bin dist/kelpie is a sh script (src/cli/kelpie.sh) that starts Node from kelpie's startup
 * snapshot, dist/kelpie.blob (src/cli/snapshot.ts), and runs the launcher dist/kelpie.mjs (the
 * bundle with V8's code cache) when it cannot. These prove that a start from the snapshot
 * behaves as the bundle does (same output and exit code), reads the process's environment and
 * directory when it runs, not when the snapshot was built, and that the fallback is taken when
 * the snapshot cannot be used.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBin, root, runBin, type BinRun } from './builtBin.js';

describe('the bin: a start from the startup snapshot (dist/kelpie, dist/kelpie.blob)', function () {
  let buildDir: string;
  let bin: string;
  let launcher: string;
  let work: string;
  before(() => {
    buildDir = buildBin();
    bin = join(buildDir, 'kelpie');
    launcher = join(buildDir, 'kelpie.mjs');
    work = mkdtempSync(join(tmpdir(), 'kelpie-snapshot-'));
  });
  after(() => {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** The command the bin's sh script ends with (`exec …`), from its trace (sh -x). */
  async function execOf(args: string[], env: NodeJS.ProcessEnv = {}, via = bin): Promise<{ exec: string; run: BinRun }> {
    const run = await runBin('/bin/sh', ['-x', via, ...args], root, env);
    const exec = run.stderr.split('\n').filter((l) => /^\+ exec /.test(l)).pop() ?? '';
    return { exec, run };
  }
  const fromSnapshot = (exec: string): boolean => exec.includes(`--snapshot-blob ${join(buildDir, 'kelpie.blob')} -- `);
  const fromLauncher = (exec: string): boolean => exec.includes(`exec node ${launcher} `);

  it('starts Node from the snapshot the build made beside it', async () => {
    const { exec, run } = await execOf(['--version']);
    assert.ok(fromSnapshot(exec), exec);
    assert.equal(run.stdout, 'kelpie 0.1.0\n');
  });

  const same: [string, string[]][] = [
    ['a syntax check of playbooks/site.yaml', ['playbook', 'playbooks/site.yaml', '--syntax-check']],
    ['an unknown argument, located with a did-you-mean', ['playbook', 'BAD', '--syntax-check']],
    ['a YAML error, located', ['playbook', 'BROKEN', '--syntax-check']],
    ['a missing playbook', ['playbook', 'missing.yaml', '--syntax-check']],
    ['a usage error', ['playbook', '--no-such-flag']],
    ['--version', ['--version']],
  ];
  for (const [what, args] of same) {
    it(`prints what the bundle prints, with its exit code: ${what}`, async () => {
      const bad = join(work, 'bad.yaml');
      writeFileSync(bad, '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy:\n        dset: /tmp/x\n        content: hi\n');
      const broken = join(work, 'broken.yaml');
      writeFileSync(broken, '- hosts: localhost\n  tasks:\n    - debug: { msg: "unclosed }\n');
      const argv = args.map((a) => (a === 'BAD' ? bad : a === 'BROKEN' ? broken : a));
      const [snap, bundle] = [await runBin(bin, argv), await runBin(launcher, argv)];
      assert.deepEqual({ code: snap.code, stdout: snap.stdout, stderr: snap.stderr }, { code: bundle.code, stdout: bundle.stdout, stderr: bundle.stderr });
      if (args[1] === 'BAD') assert.equal(snap.stderr, `ERROR! ${bad}:5:9: task 'copy': unknown argument 'dset' (did you mean 'dest'?)\n`);
      if (args[1] === 'BROKEN') assert.match(snap.stderr, new RegExp(`^ERROR! ${broken}:3:\\d+: `));
    });
  }

  it('reads the environment, the directory and the random omit token when it runs, not when the snapshot was built', async () => {
    const pb = join(work, 'env.yaml');
    writeFileSync(
      pb,
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        '    - debug: { msg: "probe={{ lookup(\'env\', \'KELPIE_SNAPSHOT_PROBE\') }}" }',
        '    - command: pwd',
        '      register: here',
        '    - debug: { msg: "cwd={{ here.stdout }}" }',
        '    - shell: echo "ca=${NODE_EXTRA_CA_CERTS-unset} aside=${KELPIE_NODE_EXTRA_CA_CERTS-unset}"',
        '      register: ca',
        '    - debug: { msg: "{{ ca.stdout }}" }',
        '    - shell: echo "glibc=${GLIBC_TUNABLES-unset} aside=${KELPIE_GLIBC_TUNABLES-unset}"',
        '      register: glibc',
        '    - debug: { msg: "{{ glibc.stdout }}" }',
        '    - debug: { msg: "omit={{ omit }}" }',
        '',
      ].join('\n'),
    );
    const env = { KELPIE_SNAPSHOT_PROBE: 'value-at-run-time', NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem', GLIBC_TUNABLES: undefined };
    const runs = [await runBin(bin, ['playbook', 'env.yaml', '-i', 'localhost,'], work, env), await runBin(bin, ['playbook', 'env.yaml', '-i', 'localhost,'], work, env)];
    const bundle = await runBin(launcher, ['playbook', 'env.yaml', '-i', 'localhost,'], work, env);
    for (const r of [...runs, bundle]) {
      assert.equal(r.code, 0, r.out);
      assert.match(r.stdout, /"msg": "probe=value-at-run-time"/);
      assert.match(r.stdout, new RegExp(`"msg": "cwd=${work}"`));
      // the launcher moved it aside for Node's start; commands see it as the user set it
      assert.match(r.stdout, /"msg": "ca=\/nonexistent\/ca\.pem aside=unset"/);
      // the bin set glibc's malloc tunables for Node's start only
      assert.match(r.stdout, /"msg": "glibc=unset aside=unset"/);
    }
    const omits = [...runs, bundle].map((r) => /"msg": "omit=(__omit_place_holder__[0-9a-f]{16})"/.exec(r.stdout)?.[1]);
    assert.equal(new Set(omits).size, 3, omits.join(' '));
    const masked = (r: BinRun): string => r.stdout.replace(/__omit_place_holder__[0-9a-f]{16}/, 'OMIT');
    assert.equal(masked(runs[0]!), masked(bundle));
  });

  it("starts Node with glibc's malloc on huge pages, and gives commands the user's GLIBC_TUNABLES back", async () => {
    const pb = join(work, 'tunables.yaml');
    writeFileSync(pb, ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - shell: echo "glibc=${GLIBC_TUNABLES-unset}"', '      register: t', '    - debug: { msg: "{{ t.stdout }}" }', ''].join('\n'));
    const mine = 'glibc.malloc.check=0';
    const { exec, run } = await execOf(['playbook', pb, '-i', 'localhost,'], { GLIBC_TUNABLES: mine });
    assert.ok(fromSnapshot(exec), exec);
    // the user's setting last: glibc applies them in order, so the user's win
    assert.match(run.stderr, new RegExp(`GLIBC_TUNABLES=glibc\\.malloc\\.hugetlb=1:glibc\\.malloc\\.top_pad=16777216:${mine.replace(/\./g, '\\.')}\n`));
    assert.equal(run.code, 0, run.out);
    assert.match(run.stdout, new RegExp(`"msg": "glibc=${mine}"`));
  });

  it('runs from the snapshot through a symlink to it (npm links bins), from another directory', async () => {
    const link = join(work, 'kelpie-link');
    symlinkSync(bin, link);
    const { exec, run } = await execOf(['playbook', join(root, 'playbooks', 'site.yaml'), '--syntax-check'], {}, link);
    assert.ok(fromSnapshot(exec), exec);
    assert.equal(run.code, 0, run.out);
    assert.equal(run.stdout.trim(), `playbook: ${join(root, 'playbooks', 'site.yaml')}`);
  });

  describe('falls back to the launcher (the bundle with its code cache)', () => {
    async function assertFallback(env: NodeJS.ProcessEnv = {}): Promise<void> {
      const { exec, run } = await execOf(['playbook', 'playbooks/site.yaml', '--syntax-check'], env);
      assert.ok(fromLauncher(exec), exec);
      assert.equal(run.code, 0, run.out);
      assert.equal(run.stdout.trim(), 'playbook: playbooks/site.yaml');
    }

    it('when there is no snapshot', async () => {
      const blob = join(buildDir, 'kelpie.blob');
      renameSync(blob, `${blob}.away`);
      try {
        await assertFallback();
      } finally {
        renameSync(`${blob}.away`, blob);
      }
    });

    it('when the snapshot was built by another Node binary (its modification time differs)', async () => {
      const stamp = join(buildDir, 'kelpie.blob-node');
      utimesSync(stamp, new Date(), new Date(Date.UTC(2001, 0, 1)));
      try {
        await assertFallback();
      } finally {
        assert.equal(spawnSync('touch', ['-r', process.execPath, stamp]).status, 0);
      }
      assert.ok(fromSnapshot((await execOf(['--version'])).exec));
    });

    it('when NODE_OPTIONS is set (V8 flags in it would not match the snapshot)', async () => {
      await assertFallback({ NODE_OPTIONS: '--max-old-space-size=512' });
    });

    it('when no node is on PATH where the bin looks (then `node` fails as `#!/usr/bin/env node` would)', async () => {
      const { exec, run } = await execOf(['--version'], { PATH: join(work, 'nowhere') });
      assert.ok(fromLauncher(exec), exec);
      assert.notEqual(run.code, 0);
    });
  });
});
