/**
 * ip_address: an address on a device (`ip addr add 10.0.0.5/32 dev lo label lo:0`), with
 * optional boot persistence. Guards the classic IPVS direct-routing mistake: a wide prefix
 * on the loopback makes the host answer ARP for the whole subnet.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import { applyPersist, planPersist } from './persist.js';
import type { TextEditData } from '../_lib/textedit.js';
import { formatIpAddr, parseCidr, parseIpAddr, type IpAddr } from './ipParse.js';

interface Data {
  commands: ShellCommand[];
  edits: TextEditData[];
}

const args = {
  address: { type: 'str', required: true, aliases: ['addr'], description: 'CIDR, e.g. 10.0.0.5/32' },
  dev: { type: 'str', required: true, aliases: ['device', 'interface'] },
  label: { type: 'str' },
  broadcast: { type: 'str', description: "an address or '+' (computed from the prefix)" },
  scope: { type: 'str' },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  persist: { type: 'bool', default: false },
  allow_wide_loopback: { type: 'bool', default: false },
} as const;

const isLoopback = (dev: string): boolean => dev === 'lo' || dev.startsWith('lo:');

/** The ip(8) words after `ip addr add|del`, shared by the live command and the persisted line. */
function addrWords(cidr: string, a: { dev: string; label?: string | undefined; broadcast?: string | undefined; scope?: string | undefined }, withExtras: boolean): string[] {
  const w = [cidr, 'dev', a.dev];
  if (withExtras && a.broadcast) w.push('broadcast', a.broadcast);
  if (withExtras && a.scope) w.push('scope', a.scope);
  if (a.label) w.push('label', a.label);
  return w;
}

/** Expected IPv4 broadcast for `+`: all host bits set. */
function plusBroadcast(address: string, prefix: number): string | undefined {
  if (prefix >= 31) return undefined;
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const b = (n | (0xffffffff >>> prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 255).join('.');
}

export default defineModule({
  name: 'ip_address',
  args,
  check(a) {
    const c = parseCidr(a.address);
    if (!c) return `address '${a.address}' is not an IPv4 or IPv6 address with an optional /prefix`;
    if (a.label && c.family === 'inet6') return 'label is only supported for IPv4 addresses';
    if (a.label && !a.label.startsWith(a.dev)) return `label '${a.label}' must start with the device name '${a.dev}' (e.g. ${a.dev}:0)`;
    const host = c.family === 'inet' ? 32 : 128;
    if (isLoopback(a.dev) && c.prefix !== host && !a.allow_wide_loopback && a.state === 'present') {
      return (
        `refusing ${a.address} on the loopback device '${a.dev}': use /${host}. A wider netmask on lo makes the kernel ` +
        `treat the whole ${c.address}/${c.prefix} subnet as local, so the host answers ARP for every address in it ` +
        `(the "havoc" of IPVS direct routing with lo:0). Set allow_wide_loopback: true if you really mean it.`
      );
    }
    return undefined;
  },
  async plan(ctx, a) {
    const c = parseCidr(a.address)!;
    const cidr = `${c.address}/${c.prefix}`;
    const r = await ctx.probe(sh`ip -o addr show dev ${a.dev}`);
    if (r.rc !== 0) return { kind: 'fail', msg: `device '${a.dev}' not found: ${r.stderr.trim() || `ip exited ${r.rc}`}` };
    const current = parseIpAddr(r.stdout);
    const same = (x: IpAddr): boolean => x.family === c.family && x.address.toLowerCase() === c.address && x.prefix === c.prefix;
    const found = current.find(same);
    const wantLabel = a.label ?? (c.family === 'inet' ? a.dev : undefined);
    const wantBrd = a.broadcast === '+' ? plusBroadcast(c.address, c.prefix) : a.broadcast;
    const commands: ShellCommand[] = [];
    let after = current;
    if (a.state === 'present') {
      const matches =
        found !== undefined &&
        (found.label ?? found.dev) === (wantLabel ?? found.label ?? found.dev) &&
        (a.broadcast === undefined || found.broadcast === wantBrd) &&
        (a.scope === undefined || found.scope === a.scope);
      if (!matches) {
        if (found) commands.push(sh`ip addr del ${cidr} dev ${a.dev}`);
        commands.push(sh`ip addr add ${addrWords(cidr, a, true)}`);
        const added: IpAddr = { dev: a.dev, family: c.family, address: c.address, prefix: c.prefix, scope: a.scope ?? 'global' };
        if (wantBrd) added.broadcast = wantBrd;
        if (wantLabel) added.label = wantLabel;
        after = [...current.filter((x) => !same(x)), added];
      }
    } else if (found) {
      commands.push(sh`ip addr del ${cidr} dev ${a.dev}`);
      after = current.filter((x) => !same(x));
    }
    let edits: TextEditData[] = [];
    const diff: FileDiff[] = [];
    const changes: string[] = commands.map((x) => x.text);
    if (a.persist) {
      const words = addrWords(cidr, a, true).join(' ');
      const delWords = addrWords(cidr, a, false).join(' ');
      const p = await planPersist(ctx, {
        state: a.state as 'present' | 'absent',
        debian: { dev: a.dev.split(':')[0]!, options: [`up ip addr add ${words} || true`, `down ip addr del ${delWords} || true`] },
        redhat: { path: '/etc/rc.d/rc.local', lines: [`ip addr add ${words} || true`], mode: '0755', header: '#!/bin/sh\n' },
      });
      if (p.fail) return { kind: 'fail', msg: p.fail };
      edits = p.edits;
      diff.push(...p.diff);
      changes.push(...p.changes);
    }
    if (commands.length === 0 && edits.length === 0) return { kind: 'ok', msg: `${cidr} is ${a.state} on ${a.dev}` };
    if (commands.length) {
      const show = (xs: IpAddr[]): string => xs.map((x) => formatIpAddr(x) + '\n').join('');
      diff.unshift({ path: `ip addr show dev ${a.dev}`, beforeHeader: `ip addr show dev ${a.dev} (before)`, afterHeader: `ip addr show dev ${a.dev} (after)`, before: show(current), after: show(after) });
    }
    return { kind: 'change', msg: changes.join('; '), changes, diff, data: { commands, edits } };
  },
  async apply(ctx, _a, data: Data) {
    for (const cmd of data.commands) await runChecked(ctx, cmd.text, cmd);
    const err = await applyPersist(ctx, data.edits);
    if (err) return { failed: true, msg: err };
    return { changed: true };
  },
});
