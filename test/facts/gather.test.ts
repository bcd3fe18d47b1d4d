import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecResult } from '../../src/connection/types.js';
import { FactCache, gatherFacts, gatherPackages, gatherXen, selectFamilies } from '../../src/facts/index.js';
import type { ShellCommand } from '../../src/shell/quote.js';

function runLocal(cmd: ShellCommand): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd.text], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (rc) => resolve({ rc: rc ?? 255, stdout, stderr }));
  });
}

describe('gatherFacts on this machine', () => {
  let facts: Record<string, unknown>;
  let calls = 0;
  before(async () => {
    facts = await gatherFacts((cmd) => {
      calls++;
      return runLocal(cmd);
    });
  });

  it('uses exactly one round trip', () => assert.equal(calls, 1));

  it('reports a Debian host with sane platform and user facts', () => {
    assert.equal(facts.os_family, 'Debian');
    assert.equal(facts.distribution, 'Debian');
    assert.equal(facts.system, 'Linux');
    assert.equal(facts.nodename, os.hostname());
    assert.equal(facts.user_uid, process.getuid?.());
    assert.equal(facts.user_dir, os.userInfo().homedir);
    assert.equal(facts.pkg_mgr, 'apt');
    assert.ok(['systemd', 'sysvinit', 'upstart', 'openrc'].includes(String(facts.service_mgr)));
    assert.equal((facts.env as Record<string, string>).PATH !== undefined, true);
  });

  it('has lo with 127.0.0.1 among the interfaces', () => {
    assert.ok((facts.interfaces as string[]).includes('lo'));
    assert.equal((facts.lo as { ipv4: { address: string } }).ipv4.address, '127.0.0.1');
  });

  it('has memory, CPU and date facts', () => {
    assert.ok(Number(facts.memtotal_mb) > 0);
    assert.ok(Number(facts.processor_vcpus) >= 1);
    const dt = facts.date_time as Record<string, string>;
    assert.ok(Math.abs(Number(dt.epoch) - Date.now() / 1000) < 120);
    assert.match(dt.iso8601 ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('reports selinux and virtualization in Ansible\'s shape', () => {
    assert.equal(typeof (facts.selinux as { status: string }).status, 'string');
    assert.equal(typeof facts.virtualization_type, 'string');
  });
});

describe('fact subsets, packages, xen and the cache', () => {
  it('selects families the way gather_subset does', () => {
    const names = (s: string[]) => selectFamilies(s).map((f) => f.name).sort();
    assert.ok(names(['all']).includes('network'));
    assert.ok(!names(['!all']).includes('network'));
    assert.ok(names(['!all']).includes('os'));
    assert.deepEqual(names(['!all', '!min', 'network']), ['network']);
    assert.ok(!names(['all', '!hardware']).includes('hardware'));
    assert.throws(() => selectFamilies(['bogus']), /gather_subset/);
  });

  it('gathers dpkg packages in one call', async () => {
    let calls = 0;
    const pkgs = await gatherPackages((c) => {
      calls++;
      return runLocal(c);
    });
    assert.equal(calls, 1);
    assert.equal(pkgs.dpkg?.[0]?.source, 'apt');
  });

  it('gathers no xen facts where no toolstack exists', async () => {
    assert.deepEqual(await gatherXen(runLocal), {});
  });

  it('caches facts per host and expires them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kelpie-factcache-'));
    try {
      const cache = new FactCache(dir, 3600);
      assert.equal(cache.get('web1'), undefined);
      cache.set('web1', { os_family: 'Debian' });
      assert.deepEqual(cache.get('web1'), { os_family: 'Debian' });
      assert.equal(new FactCache(dir, 3600).get('../web1'), undefined);
      writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ savedAt: Date.now() - 7200_000, facts: { a: 1 } }));
      assert.equal(cache.get('old'), undefined);
      assert.deepEqual(new FactCache(dir, 0).get('old'), { a: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
