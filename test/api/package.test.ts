import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const exec = promisify(execFile);

/** The README's library example: the code block under its "runs in test/api/package.test.ts" note. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /runs in test\/api\/package\.test\.ts[^\n]*\n```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README.md has the library example under its test note');
  return m[1]!;
}

/**
 * The package as a consumer gets it: `npm run build`'s compiler settings, package.json's
 * exports. Built once per checkout into the temp dir (incrementally: a rerun only
 * recompiles what changed), never into the checkout's own dist/.
 */
async function builtPackage(): Promise<string> {
  const pkg = join(tmpdir(), `kelpie-package-${createHash('sha1').update(root).digest('hex').slice(0, 10)}`);
  mkdirSync(pkg, { recursive: true });
  await exec(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist'), '--incremental', '--tsBuildInfoFile', join(pkg, 'build.tsbuildinfo')], { cwd: root });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  if (!existsSync(join(pkg, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  return pkg;
}

describe('the kelpie package, built, used from a script by its name', function () {
  this.timeout(600_000);

  it("runs the README's example (`import { run } from 'kelpie'`) against localhost, and its types are checked", async () => {
    const pkg = await builtPackage();
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-consumer-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(pkg, join(dir, 'node_modules', 'kelpie'));
    const motd = join(dir, 'motd');
    writeFileSync(join(dir, 'inventory.yaml'), 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n');
    writeFileSync(
      join(dir, 'site.yaml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: write the motd\n      copy: { dest: ${motd}, content: "hello\\n" }\n      notify: announce\n    - name: look around\n      command: uname -s\n  handlers:\n    - name: announce\n      debug: { msg: motd changed }\n`,
    );
    writeFileSync(join(dir, 'check.mjs'), readmeExample());
    const { stdout } = await exec(process.execPath, ['check.mjs'], { cwd: dir });
    // check mode: the copy would change, the command is skipped, the handler is notified; nothing is written
    assert.equal(stdout, 'TASK write the motd\n  localhost: changed\n  localhost: notified announce\nTASK look around\n  localhost: skipped\nHANDLER announce\n  localhost: ok\n');
    assert.equal(existsSync(motd), false);

    // the exported types are the real ones: a wrong option is a type error for the consumer
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { run, gatherFacts, loadInventory, loadPlaybook, type RunEvent } from 'kelpie';
export async function statuses(): Promise<string[]> {
  const out: string[] = [];
  const inventory = await loadInventory(['inventory.yaml']);
  const playbook = await loadPlaybook('site.yaml');
  for await (const e of run({ playbooks: [playbook], inventory })) if (e.type === 'host_result') out.push(e.result.status);
  const facts: Record<string, unknown> = await gatherFacts('localhost');
  out.push(String(facts.hostname));
  // @ts-expect-error forks is a number
  run({ playbooks: ['site.yaml'], forks: 'many' });
  const last: RunEvent = { type: 'warning', message: 'x' };
  return [...out, last.type];
}
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }));
    await exec(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((e: { stdout?: string }) => {
      throw new Error(`the consumer's typecheck failed:\n${e.stdout ?? ''}`);
    });
  });
});
