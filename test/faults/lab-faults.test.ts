/**
 * Faults on real lab hosts, each proving: the exit code, that the other hosts finished,
 * that no kelpie temp file or process is left on any host, and that the JSON report was
 * written. A host unreachable from the start; sshd killed mid-task; the link going down
 * mid-task (keepalives find it, under linear and free); a full disk during a copy;
 * SIGINT during a copy and SIGTERM during a command, sent to a real kelpie process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { runInHost, type Lab, type LabHost } from '../../src/lab/index.js';
import { labHostVars, resultOf, runWith, writeInventory } from '../helpers/engineLab.js';
import { useLab } from '../helpers/labHarness.js';
import { readFileSync } from 'node:fs';
import { spawnCli } from '../helpers/spawnCli.js';
import { kelpieTempFiles, killSshd, newMarker, processesIn, waitUntil } from './faultLab.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The run's end state every fault test checks on every host. */
async function assertNothingLeft(hosts: LabHost[], marker?: string): Promise<void> {
  for (const h of hosts) {
    assert.deepEqual(await kelpieTempFiles(h), [], `no temp file left on ${h.name}`);
    if (marker) await waitUntil(`no process of this run is left on ${h.name}`, async () => (await processesIn(h, `\\.${marker}`)).length === 0, 15_000);
  }
}

function inventoryFor(lab: Lab, extra: Record<string, Record<string, unknown>> = {}): string {
  return writeInventory(
    lab,
    lab.hosts.map((h) => ({ name: h.name, vars: { ...labHostVars(lab, h), ...(extra[h.name] ?? {}) } })),
  );
}

describe('faults on lab hosts', function () {
  this.timeout(600_000);
  const h = useLab('faults', 3);

  afterEach(async () => {
    for (const host of h.lab().hosts) {
      await runInHost(host, ['ip', 'link', 'set', 'eth0', 'up']);
      await runInHost(host, ['sh', '-c', 'rm -f /root/after.txt /root/big.bin; umount /mnt/small 2>/dev/null; true']);
    }
  });

  it('a host unreachable from the start: exit 4, the others finish, nothing left behind', async () => {
    const lab = h.lab();
    const ghost = lab.hosts[0]!.address.replace(/\.\d+$/, '.251');
    const inv = writeInventory(lab, [
      ...lab.hosts.map((x) => ({ name: x.name, vars: labHostVars(lab, x) })),
      { name: 'ghost', vars: { ...labHostVars(lab, lab.hosts[0]!), ansible_host: ghost, ansible_ssh_timeout: 3 } },
    ]);
    const marker = newMarker();
    const r = await runWith(inv, join(fixtures, 'slow-then-write.yaml'), ['-e', `marker=${marker}`, '-e', 'seconds=1']);
    assert.equal(r.code, 4, r.out + r.err);
    assert.equal(r.report.stats.ghost?.unreachable, 1);
    for (const x of lab.hosts) assert.equal(resultOf(r.report, 'write a file afterwards', x.name)?.status, 'changed', x.name);
    await assertNothingLeft(lab.hosts, marker);
  });

  it('sshd killed mid-task: that host is UNREACHABLE, the others finish, exit 4', async () => {
    const lab = h.lab();
    const [victim, ...others] = lab.hosts as [LabHost, ...LabHost[]];
    const marker = newMarker();
    const run = runWith(inventoryFor(lab), join(fixtures, 'slow-then-write.yaml'), ['-e', `marker=${marker}`, '-e', 'seconds=6']);
    await waitUntil('the command runs on the victim', async () => (await processesIn(victim, `\\.${marker}`)).length > 0);
    await killSshd(victim);
    const r = await run;
    assert.equal(r.code, 4, r.out + r.err);
    assert.equal(resultOf(r.report, 'slow command', victim.name)?.status, 'unreachable', r.out);
    for (const x of others) assert.equal(resultOf(r.report, 'write a file afterwards', x.name)?.status, 'changed', x.name);
    // the command itself was not killed with sshd: it runs to its end on the host (as under Ansible)
    await assertNothingLeft(lab.hosts, marker);
  });

  for (const strategy of ['linear', 'free']) {
    it(`link down mid-task (${strategy}): keepalives fail only that host, the others are not held back`, async () => {
      const lab = h.lab();
      const [victim, ...others] = lab.hosts as [LabHost, ...LabHost[]];
      const marker = newMarker();
      // under free the others need less time than the keepalives take to give the victim up
      const alive = strategy === 'free' ? { kelpie_server_alive_interval: 3, kelpie_server_alive_count_max: 3 } : { kelpie_server_alive_interval: 1, kelpie_server_alive_count_max: 2 };
      const inv = inventoryFor(lab, { [victim.name]: alive });
      const book = strategy === 'free' ? 'slow-then-write-free.yaml' : 'slow-then-write.yaml';
      const run = runWith(inv, join(fixtures, book), ['-e', `marker=${marker}`, '-e', `seconds=${strategy === 'free' ? 2 : 4}`]);
      await waitUntil('the command runs on the victim', async () => (await processesIn(victim, `\\.${marker}`)).length > 0);
      await runInHost(victim, ['ip', 'link', 'set', 'eth0', 'down']);
      const r = await run;
      assert.equal(r.code, 4, r.out + r.err);
      const failed = resultOf(r.report, 'slow command', victim.name);
      assert.equal(failed?.status, 'unreachable', r.out);
      for (const x of others) assert.equal(resultOf(r.report, 'write a file afterwards', x.name)?.status, 'changed', x.name);
      if (strategy === 'free') {
        // every other host had finished the play before the stuck one was given up
        const lost = r.out.indexOf(`fatal: [${victim.name}]: UNREACHABLE!`);
        for (const x of others) assert.ok(r.out.lastIndexOf(`changed: [${x.name}]`) < lost, r.out);
      }
      await runInHost(victim, ['ip', 'link', 'set', 'eth0', 'up']);
      await assertNothingLeft(lab.hosts, marker);
    });
  }

  it('disk full during a copy: "No space left on device", changed false, no temp file, the next copy fits', async () => {
    const lab = h.lab();
    for (const x of lab.hosts) {
      await runInHost(x, ['mkdir', '-p', '/mnt/small']);
      const m = await runInHost(x, ['mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', '/mnt/small']);
      assert.equal(m.rc, 0, m.stderr);
    }
    const big = join(mkdtempSync(join(tmpdir(), 'kelpie-big-')), 'big.bin');
    writeFileSync(big, randomBytes(1024 * 1024));
    const r = await runWith(inventoryFor(lab), join(fixtures, 'fill-disk.yaml'), ['-e', `big_file=${big}`]);
    assert.equal(r.code, 0, r.out + r.err);
    for (const x of lab.hosts) {
      const res = resultOf(r.report, 'copy too big for the disk', x.name);
      assert.equal(res?.status, 'failed', x.name);
      assert.match(String(res?.result.msg), /No space left on device/);
      assert.equal(res?.result.changed, false);
      assert.equal(resultOf(r.report, 'a small copy still fits afterwards', x.name)?.status, 'changed');
      assert.deepEqual(await kelpieTempFiles(x, ['/mnt/small']), [], `no temp file left on ${x.name}`);
      assert.equal((await runInHost(x, ['test', '-e', '/mnt/small/big.bin'])).rc, 1, 'no partial target');
    }
    await assertNothingLeft(lab.hosts);
  });
  it('SIGINT mid-copy: exit 99, no partial upload left on any host, report written', async () => {
    const lab = h.lab();
    const big = join(mkdtempSync(join(tmpdir(), 'kelpie-big-')), 'big.bin');
    writeFileSync(big, randomBytes(256 * 1024 * 1024));
    const json = join(mkdtempSync(join(tmpdir(), 'kelpie-int-')), 'report.json');
    // watched from inside the host, from before the run starts: a poll from outside could miss it
    const watching = runInHost(lab.hosts[0]!, ['timeout', '300', 'sh', '-c', 'until ls /root/.big.bin.kelpie-* >/dev/null 2>&1; do sleep 0.02; done']);
    const cli = spawnCli(['playbook', join(fixtures, 'big-copy.yaml'), '-i', inventoryFor(lab), '-e', `big_file=${big}`, '--json', json]);
    const seen = await watching;
    cli.exited.finally(() => rmSync(dirname(big), { recursive: true, force: true })).catch(() => undefined);
    assert.equal(seen.rc, 0, `an upload is under way:\n${cli.output()}`);
    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 99, cli.output());
    assert.match(cli.output(), /User interrupted execution/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { exit_code: number; interrupted: string };
    assert.deepEqual([report.exit_code, report.interrupted], [99, 'SIGINT']);
    for (const x of lab.hosts) {
      assert.deepEqual(await kelpieTempFiles(x), [], `no partial upload left on ${x.name}`);
      assert.equal((await runInHost(x, ['test', '-e', '/root/big.bin'])).rc, 1, `no half-written target on ${x.name}`);
    }
  });

  it('SIGTERM mid-command: exit 143, the command killed on every host, report written', async () => {
    const lab = h.lab();
    const marker = newMarker();
    const json = join(mkdtempSync(join(tmpdir(), 'kelpie-int-')), 'report.json');
    const cli = spawnCli(['playbook', join(fixtures, 'long-command.yaml'), '-i', inventoryFor(lab), '-e', `marker=${marker}`, '--json', json]);
    await cli.waitFor(/TASK \[long command\]/);
    for (const x of lab.hosts) await waitUntil(`the command runs on ${x.name}`, async () => (await processesIn(x, `\\.${marker}`)).length > 0);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 143, cli.output());
    assert.match(cli.output(), /PLAY RECAP/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { exit_code: number; interrupted: string };
    assert.deepEqual([report.exit_code, report.interrupted], [143, 'SIGTERM']);
    for (const x of lab.hosts) {
      assert.deepEqual(await processesIn(x, `\\.${marker}`), [], `the command was killed on ${x.name}`);
      assert.equal((await runInHost(x, ['test', '-e', '/root/never'])).rc, 1, 'no task started after the signal');
    }
    await assertNothingLeft(lab.hosts, marker);
  });
});
