import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configNumber, parseVcpuSlots, wantedConfig } from '../../../src/modules/system/xenConfig.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The replayed xl/xm in a temp dir, with `domains` as its first state. */
function standin(domains: object[]): (tool: 'xl' | 'xm', ...a: string[]) => { rc: number | null; out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xen-standin-'));
  mkdirSync(join(dir, 'bin'));
  for (const t of ['xl', 'xm']) symlinkSync(join(ROOT, 'src/lab/standins/xen-tools.py'), join(dir, 'bin', t));
  writeFileSync(join(dir, 'xen.json'), JSON.stringify(domains));
  return (tool, ...a) => {
    const r = spawnSync(join(dir, 'bin', tool), a, { env: { ...process.env, KELPIE_STANDIN_DIR: dir }, encoding: 'utf8' });
    return { rc: r.status, out: r.stdout, err: r.stderr };
  };
}

describe('xen_vcpus: VCPU slots and the domain config', () => {
  const doms = [{ name: 'lenny32', id: 3, mem: 256, vcpus: 1, max: 1, state: '-b----', cpu: 10, uptime: 1000 }, { name: 'wide', id: 4, mem: 256, vcpus: 2, max: 4, state: '-b----', cpu: 10, uptime: 1000 }];

  it('the replayed xl and xm refuse vcpu-set above the slots with real Xen\'s words (exit 1) and change nothing', () => {
    const run = standin(doms);
    const xl = run('xl', 'vcpu-set', 'lenny32', '2');
    assert.equal(xl.rc, 1);
    assert.match(xl.err, /^libxl: error: libxl_domain\.c:1869:libxl_set_vcpuonline: Domain 3:Requested 2 VCPUs, however maxcpus is 1!: Function not implemented\nlibxl_set_vcpuonline failed domid=3 max_vcpus=2, rc: -3\n$/);
    const xm = run('xm', 'vcpu-set', 'lenny32', '2');
    assert.equal(xm.rc, 1);
    assert.match(xm.err, /^Error: Cannot set vcpus greater than max vcpus on running domain\n/);
    assert.match(run('xl', 'list', 'lenny32').out, /^lenny32\s+3\s+256\s+1\s/m);
    assert.equal(run('xl', 'vcpu-set', 'wide', '4').rc, 0);
  });

  it('reads the slots from vcpu-list (xl and xm layouts): offline slots count', () => {
    const run = standin(doms);
    for (const tool of ['xl', 'xm'] as const) assert.deepEqual([...parseVcpuSlots(run(tool, 'vcpu-list').out)], [['lenny32', 1], ['wide', 4]]);
  });

  it('writes maxvcpus only where the next start needs more slots', () => {
    const cfg = 'name = "lenny32"\nvcpus = 1 # one\n';
    assert.equal(wantedConfig(cfg, 2, 1), 'name = "lenny32"\nvcpus = 2 # one\nmaxvcpus = 2\n', 'running with 1 slot: explicit maxvcpus');
    assert.equal(wantedConfig(cfg, 2, 4), 'name = "lenny32"\nvcpus = 2 # one\n', 'slots enough: vcpus alone');
    assert.equal(wantedConfig('vcpus = 1\nmaxvcpus = "1"\n', 2, undefined), 'vcpus = 2\nmaxvcpus = 2\n', 'a lower maxvcpus is raised');
    assert.equal(wantedConfig('vcpus = 1\nmaxvcpus = 8\n', 2, 1), 'vcpus = 2\nmaxvcpus = 8\n', 'a higher one is kept');
    assert.equal(configNumber('maxvcpus = 4\n', 'vcpus'), undefined);
  });
});
