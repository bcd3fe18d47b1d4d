import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normFwmark, parseCidr, parseIpAddr, parseIpRoutes, parseIpRules } from '../../../src/modules/network/ipParse.js';
import { editInterfaces, editLineFile } from '../../../src/modules/network/persist.js';
import { formatIpvsSave, parseIpvsList } from '../../../src/modules/network/ipvsParse.js';
import ipvs, { planIpvs, wantedService } from '../../../src/modules/network/ipvs.js';
import ipAddress from '../../../src/modules/network/ip_address.js';
import { ruleMatches } from '../../../src/modules/network/ip_rule.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const capture = readFileSync(join(ROOT, 'test/fixtures/network/ip-netns-capture.txt'), 'utf8');
const section = (name: string): string => capture.split(`### ${name}\n`)[1]!.split('\n###')[0]!;

describe('ipParse: captured iproute2-6.1.0 output', () => {
  it('reads addresses with labels, broadcast and scope from ip -o addr', () => {
    const a = parseIpAddr(section('ip -o addr show'));
    const lo0 = a.find((x) => x.address === '10.0.0.5')!;
    assert.deepEqual(lo0, { dev: 'lo', family: 'inet', address: '10.0.0.5', prefix: 32, scope: 'global', label: 'lo:0' });
    assert.equal(a.find((x) => x.address === '10.0.1.5')!.broadcast, '10.0.1.255');
    assert.equal(a.find((x) => x.address === '10.0.2.7')!.label, 'eth1:1');
    assert.equal(a.find((x) => x.address === 'fd00:1::5')!.prefix, 128);
  });
  it('reads rules with priority, selectors and table', () => {
    const r = parseIpRules(section('ip rule show'));
    assert.deepEqual(r.find((x) => x.priority === 32765), { priority: 32765, from: '10.0.1.5', table: '1' });
    assert.deepEqual(r.find((x) => x.priority === 200), { priority: 200, from: 'all', fwmark: '0x10', table: '100' });
    assert.deepEqual(r.find((x) => x.priority === 199), { priority: 199, from: 'all', to: '10.9.0.0/16', iif: 'eth1', table: '5' });
    assert.ok(ruleMatches(r.find((x) => x.priority === 200)!, { fwmark: '16', table: '100' }));
    assert.ok(!ruleMatches(r.find((x) => x.priority === 32765)!, { from: '10.0.1.5', table: '2' }));
    assert.equal(normFwmark('16/255'), '0x10/0xff');
  });
  it('reads routes of one table and of table all', () => {
    const t1 = parseIpRoutes(section('ip route show table 1'), '1');
    assert.deepEqual(t1.map((x) => [x.dest, x.via, x.dev, x.metric, x.table]), [['default', '10.0.1.1', 'eth1', undefined, '1'], ['10.8.0.0/16', '10.0.1.254', 'eth1', 50, '1']]);
    const all = parseIpRoutes(section('ip route show table all'));
    assert.equal(all.find((x) => x.dest === '10.8.0.0/16')!.table, '1');
    assert.equal(all.find((x) => x.dest === '10.0.0.5')!.type, 'local');
    assert.equal(all.find((x) => x.dest === '10.7.0.0/16')!.proto, 'static');
  });
  it('parses CIDRs and rejects nonsense', () => {
    assert.deepEqual(parseCidr('10.0.0.5'), { address: '10.0.0.5', prefix: 32, family: 'inet' });
    assert.equal(parseCidr('10.0.0.300/24'), undefined);
    assert.equal(parseCidr('10.0.0.5/33'), undefined);
  });
});

describe('ip_address: the loopback guard', () => {
  const base = { dev: 'lo', label: 'lo:0', state: 'present' as const, persist: false, allow_wide_loopback: false, broadcast: undefined, scope: undefined };
  it('refuses a /24 on lo and says why', () => {
    const msg = ipAddress.check!({ ...base, address: '10.0.0.5/24' });
    assert.match(msg!, /answers ARP for every address/);
  });
  it('accepts /32, and /24 with allow_wide_loopback', () => {
    assert.equal(ipAddress.check!({ ...base, address: '10.0.0.5/32' }), undefined);
    assert.equal(ipAddress.check!({ ...base, address: '10.0.0.5/24', allow_wide_loopback: true }), undefined);
  });
});

describe('persist: interfaces(5) stanzas and line files', () => {
  const up = ['up ip addr add 10.0.0.5/32 dev lo label lo:0 || true', 'down ip addr del 10.0.0.5/32 dev lo label lo:0 || true'];
  it('creates the lo stanza when missing, idempotently', () => {
    const once = editInterfaces('source /etc/network/interfaces.d/*\n', 'lo', up, 'present');
    assert.equal(once, 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n    ' + up[0] + '\n    ' + up[1] + '\n');
    assert.equal(editInterfaces(once, 'lo', up, 'present'), once);
    assert.equal(editInterfaces(once, 'lo', up, 'absent'), 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n');
  });
  it('adds into the right stanza with its indentation, before the next block', () => {
    const text = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n\taddress 10.0.0.2/24\n\nauto eth1\niface eth1 inet dhcp\n';
    const out = editInterfaces(text, 'eth0', ['up ip rule add from 10.0.1.5 table 1 || true'], 'present');
    assert.equal(out, text.replace('\taddress 10.0.0.2/24\n', '\taddress 10.0.0.2/24\n\tup ip rule add from 10.0.1.5 table 1 || true\n'));
  });
  it('a new stanza for a device is started at boot (auto DEV): ifup -a skips an iface no auto/allow- line names', () => {
    const rule = ['up ip rule add from 10.0.1.5 table 1 || true'];
    const fresh = editInterfaces('auto lo\niface lo inet loopback\n', 'eth0', rule, 'present');
    assert.equal(fresh, 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n    ' + rule[0] + '\n');
    // a stanza an older kelpie wrote without `auto` gets one; a second run changes nothing
    const old = 'iface eth0 inet manual\n    ' + rule[0] + '\n';
    const fixed = editInterfaces(old, 'eth0', rule, 'present');
    assert.equal(fixed, 'auto eth0\n' + old);
    assert.equal(editInterfaces(fixed, 'eth0', rule, 'present'), fixed);
    // allow-hotplug (Debian's installer default) or a shared auto line already start it
    for (const act of ['allow-hotplug eth0', 'auto lo eth0']) {
      const text = `${act}\niface eth0 inet dhcp\n`;
      assert.equal(editInterfaces(text, 'eth0', rule, 'present'), text + '    ' + rule[0] + '\n', act);
    }
    assert.equal(editInterfaces('auto eth10\niface eth1 inet dhcp\n', 'eth1', rule, 'present'), 'auto eth10\nauto eth1\niface eth1 inet dhcp\n    ' + rule[0] + '\n');
  });
  it('appends to rc.local with a header when new, and removes again', () => {
    const a = editLineFile(null, ['ip addr add 10.0.0.5/32 dev lo label lo:0 || true'], 'present', '#!/bin/sh\n');
    assert.equal(a, '#!/bin/sh\nip addr add 10.0.0.5/32 dev lo label lo:0 || true\n');
    assert.equal(editLineFile(a, ['ip  addr add 10.0.0.5/32 dev lo label lo:0 || true'], 'present'), a);
    assert.equal(editLineFile(a, ['ip addr add 10.0.0.5/32 dev lo label lo:0 || true'], 'absent'), '#!/bin/sh\n');
  });
});

describe('ipvs: ipvsadm -L -n parsing and planning', () => {
  const listing =
    'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n' +
    'TCP  10.0.0.5:25 lblc persistent 300\n  -> 10.0.1.5:25                  Masq    1      0          0         \n' +
    'FWM  1 rr persistent 60 mask 255.255.255.0\n  -> 10.0.1.5:0                   Tunnel  1      0          0         \n';
  const args = { protocol: 'tcp', address: '10.0.0.5:25', scheduler: 'lblc', persistent: true, real_servers: [{ address: '10.0.1.5', method: 'masquerading' }] };
  it('reads services, flags and real servers', () => {
    const t = parseIpvsList(listing);
    assert.deepEqual(t[0], { proto: 'TCP', key: '10.0.0.5:25', scheduler: 'lblc', persistent: 300, reals: [{ address: '10.0.1.5:25', forward: 'Masq', weight: 1 }] });
    assert.deepEqual(t[1]!.netmask, '255.255.255.0');
  });
  it('plans nothing for the seed configuration once it is in place', () => {
    const want = wantedService(args);
    assert.ok(typeof want !== 'string');
    assert.deepEqual(planIpvs(parseIpvsList(listing)[0], want, false).argv, []);
  });
  it('plans -A and -a from scratch, -E/-e on drift, -d only with purge', () => {
    const want = wantedService({ ...args, real_servers: [{ address: '10.0.1.6', method: '-g', weight: 2 }] });
    assert.ok(typeof want !== 'string');
    assert.deepEqual(planIpvs(undefined, want, false).argv, [['-A', '-t', '10.0.0.5:25', '-s', 'lblc', '-p', '300'], ['-a', '-t', '10.0.0.5:25', '-r', '10.0.1.6:25', '-g', '-w', '2']]);
    const have = parseIpvsList(listing)[0]!;
    assert.deepEqual(planIpvs(have, { ...want, scheduler: 'wlc' }, true).argv, [
      ['-E', '-t', '10.0.0.5:25', '-s', 'wlc', '-p', '300'],
      ['-a', '-t', '10.0.0.5:25', '-r', '10.0.1.6:25', '-g', '-w', '2'],
      ['-d', '-t', '10.0.0.5:25', '-r', '10.0.1.5:25'],
    ]);
  });
  it('explains bad arguments', () => {
    assert.match(ipvs.check!({ ...args, real_servers: [{ address: '10.0.1.5', method: 'teleport' }] } as never)!, /unknown method 'teleport'/);
    assert.match(ipvs.check!({ ...args, address: '10.0.0.5' } as never)!, /needs a port/);
  });
  it('the replayed ipvsadm prints what the parser reads and saves what formatIpvsSave predicts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipvs-standin-'));
    const run = (...a: string[]): string => {
      const r = spawnSync('python3', [join(ROOT, 'src/lab/standins/ipvsadm'), ...a], { env: { ...process.env, KELPIE_STANDIN_DIR: dir }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    run('-A', '-t', '10.0.0.5:25', '-s', 'lblc', '-p');
    run('-a', '-t', '10.0.0.5:25', '-r', '10.0.1.5', '-m');
    const table = parseIpvsList(run('-Ln'));
    assert.equal(table[0]!.persistent, 300);
    assert.equal(run('-Sn'), formatIpvsSave(table));
    assert.equal(run('-Sn'), '-A -t 10.0.0.5:25 -s lblc -p 300\n-a -t 10.0.0.5:25 -r 10.0.1.5:25 -m -w 1\n');
  });
});
