/**
 * What `npm pack` ships (package.json `files`): the built bin and everything under dist/ that
 * it and the library entry load, the data files kelpie reads beside its code (playbooks/ for
 * `kelpie demo`, the lab's stand-ins), and nothing of test/ or bench/. dist/ is gitignored
 * and built by `npm run build` (npm ci runs it as `prepare`), so this reads the real build.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface PackageJson {
  bin: Record<string, string>;
  main: string;
  types: string;
}

/** `npm pack --dry-run --json`'s file list (no lifecycle scripts: dist/ is built already). */
function packList(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path);
}

describe('npm pack (package.json files)', function () {
  this.timeout(60_000);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  let files: string[];
  before(function () {
    assert.ok(existsSync(join(root, pkg.bin.kelpie!)), `${pkg.bin.kelpie} is not built: run npm run build (npm ci runs it)`);
    files = packList();
  });

  it('ships the bin, the library entry and every file the build put at the top of dist/', () => {
    for (const f of [...Object.values(pkg.bin), pkg.main, pkg.types]) assert.ok(files.includes(f.replace(/^\.\//, '')), `${f} is not packed`);
    // the bin's launcher loads its siblings (the bundle, its map, its code cache): whatever the build makes
    const built = readdirSync(join(root, 'dist'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `dist/${e.name}`);
    assert.deepEqual(built.filter((f) => !files.includes(f)), []);
    assert.ok(files.some((f) => f.startsWith('dist/src/modules/')), 'the compiled library is packed');
  });

  it('ships the data files kelpie reads beside its code: the seed playbooks and the lab stand-ins', () => {
    for (const f of ['playbooks/site.yaml', 'src/lab/standins/kelpie-standin.py', 'src/lab/standins/ipvsadm']) assert.ok(files.includes(f), `${f} is not packed`);
  });

  it('ships nothing of test/ or bench/, no TypeScript source, no test build directory', () => {
    const unwanted = files.filter((f) => /^(dist\/)?(test|bench)\//.test(f) || /^dist\/\./.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    assert.deepEqual(unwanted, []);
  });
});
