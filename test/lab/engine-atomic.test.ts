/**
 * "A killed run leaves either the old or the new file": kelpie (a real child process) is
 * SIGKILLed at several points while copying a big file over an existing one; the target
 * must then be byte-identical to the old or the new content. A failing `validate:` leaves
 * the old file untouched and no temp file behind.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabHost } from '../../src/lab/index.js';
import { runInHost } from '../../src/lab/index.js';
import { labHostVars, resultOf, runWith, tempFilesIn, writeInventory } from '../helpers/engineLab.js';
import { useLab } from '../helpers/labHarness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../fixtures/lab-engine');
const repo = join(here, '../..');
const MB = 1024 * 1024;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function remoteSha(host: LabHost, path: string): Promise<string> {
  const r = await runInHost(host, ['sha256sum', path]);
  assert.equal(r.rc, 0, r.stderr);
  return r.stdout.split(' ')[0]!;
}

/** Temp files beside /root/big.bin, seen from the main namespace through the host's root. */
function bigTemps(host: LabHost): string[] {
  return readdirSync(join(host.rootDir, 'root')).filter((f) => f.startsWith('.big.bin.kelpie-'));
}

/** Bytes uploaded so far into the (largest) temp file. */
function tempBytes(host: LabHost): number {
  return Math.max(0, ...bigTemps(host).map((t) => statSync(join(host.rootDir, 'root', t), { throwIfNoEntry: false })?.size ?? 0));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts the CLI as a child and SIGKILLs it once `when()` says so (or when it exits). */
async function runAndKill(args: string[], when: () => boolean): Promise<{ killed: boolean; code: number | null }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  let killed = false;
  while (!done) {
    if (when()) {
      killed = child.kill('SIGKILL');
      break;
    }
    await sleep(2);
  }
  return { killed, code: await exited };
}

describe('lab engine: file writes are atomic', function () {
  this.timeout(600_000);
  const h = useLab('engatomic', 1);
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-atomic-'));
  const oldContent = Buffer.alloc(4 * MB, 'old content\n');
  const newContent = randomBytes(48 * MB);
  const newFile = join(dir, 'new.bin');
  writeFileSync(newFile, newContent);

  async function resetOld(host: LabHost): Promise<void> {
    writeFileSync(join(host.rootDir, 'root/big.bin'), oldContent);
    await runInHost(host, ['sh', '-c', 'rm -f /root/.big.bin.kelpie-*']);
  }

  // Kill points: as soon as the temp file exists, at ~25/50/90% of the upload, after the
  // upload finished (around chmod/rename), and at random times from the start.
  const points: { name: string; when: (host: LabHost, t0: number) => boolean }[] = [
    { name: 'temp file just created', when: (host) => bigTemps(host).length > 0 },
    ...[0.25, 0.5, 0.9].map((f) => ({
      name: `upload at ${f * 100}%`,
      when: (host: LabHost) => tempBytes(host) >= f * newContent.length,
    })),
    { name: 'upload complete', when: (host) => tempBytes(host) >= newContent.length },
    ...[300, 700, 1200, 2000].map((ms) => ({ name: `${ms} ms after start`, when: (_h: LabHost, t0: number) => Date.now() - t0 >= ms })),
  ];

  const outcomes: string[] = [];
  after(() => {
    if (outcomes.length) console.log('      kill outcomes:\n' + outcomes.map((o) => `        ${o}`).join('\n'));
  });

  for (const p of points) {
    it(`SIGKILL at "${p.name}" leaves the old or the new file, never a mix`, async () => {
      const lab = h.lab();
      const host = lab.hosts[0]!;
      await resetOld(host);
      const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host) }]);
      const t0 = Date.now();
      const r = await runAndKill(['playbook', join(fixtures, 'atomic-copy.yaml'), '-i', inv, '-e', `big_src=${newFile}`], () => p.when(host, t0));
      await sleep(300); // let sshd notice the dead client and end the session
      const got = await remoteSha(host, '/root/big.bin');
      const which = got === sha(oldContent) ? 'old' : got === sha(newContent) ? 'new' : 'MIXED';
      const temps = bigTemps(host);
      outcomes.push(`${p.name}: killed=${r.killed} exit=${r.code} target=${which} leftover temps=${temps.length} (${(tempBytes(host) / MB).toFixed(1)} MB)`);
      assert.notEqual(which, 'MIXED', 'the target is byte-identical to the old or the new content');
      const mode = (await runInHost(host, ['stat', '-c', '%U %a', '/root/big.bin'])).stdout.trim();
      assert.equal(mode, 'root 644');
    });
  }

  it('an uninterrupted run installs the new file and leaves no temp file', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    await resetOld(host);
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host) }]);
    const r = await runWith(inv, join(fixtures, 'atomic-copy.yaml'), ['-e', `big_src=${newFile}`]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await remoteSha(host, '/root/big.bin'), sha(newContent));
    assert.deepEqual(bigTemps(host), []);
  });

  it('a failing validate leaves the old file untouched and no temp file (copy, template, lineinfile)', async () => {
    const lab = h.lab();
    const host = lab.hosts[0]!;
    const conf = join(host.rootDir, 'etc/kelpie-validated.conf');
    writeFileSync(conf, 'ok = original\n', { mode: 0o640 });
    const before = readFileSync(conf);
    const inv = writeInventory(lab, [{ name: host.name, vars: labHostVars(lab, host) }]);
    const r = await runWith(inv, join(fixtures, 'atomic-validate.yaml'));
    for (const task of ['write a config that fails validation', 'template that fails validation', 'lineinfile that fails validation']) {
      const res = resultOf(r.report, task, host.name);
      assert.equal(res?.status, 'failed', `${task}: ${JSON.stringify(res)}`);
      assert.match(String(res?.result.msg), /validat/i, task);
    }
    assert.ok(existsSync(conf));
    assert.deepEqual(readFileSync(conf), before, 'the old file is byte-identical');
    assert.equal((statSync(conf).mode & 0o777).toString(8), '640');
    assert.deepEqual(await tempFilesIn(host, '/etc'), [], 'no .NAME.kelpie-* temp file left behind');
  });
});
