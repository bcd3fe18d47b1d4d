/**
 * ipvs: one IPVS virtual service and its real servers, through ipvsadm. Reads
 * `ipvsadm -L -n`, changes with -A/-E/-D/-a/-e/-d, and with `save: true` writes the
 * rules file the distribution restores at boot (Debian /etc/ipvsadm.rules with the
 * init script's "# ipvsadm.rules" header; Red Hat /etc/sysconfig/ipvsadm).
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { defineModule, type FileDiff } from '../types.js';
import { runChecked } from '../_lib/runChecked.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { contentDiff } from '../_lib/diff.js';
import { toBool } from '../argspec.js';
import {
  forwardFlag, formatIpvsSave, formatService, parseForward, parseIpvsList, serviceFlag, serviceOptions, withPort,
  type Proto, type RealServer, type VirtualService,
} from './ipvsParse.js';

interface Data {
  commands: ShellCommand[];
  /** Rules file to rewrite from `ipvsadm -S -n` after the commands ran. */
  save?: { path: string; header: string };
}

const args = {
  protocol: { type: 'str', default: 'tcp', choices: ['tcp', 'udp', 'fwmark'] },
  address: { type: 'str', required: true, aliases: ['vip', 'service'], description: "'10.0.0.5:25', or the mark number for protocol=fwmark" },
  port: { type: 'int' },
  scheduler: { type: 'str', default: 'wlc', choices: ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq'] },
  persistent: { type: 'raw', description: 'timeout in seconds, or true for 300' },
  netmask: { type: 'str' },
  real_servers: { type: 'list', elements: 'dict', default: [] },
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  purge_real_servers: { type: 'bool', default: false },
  save: { type: 'bool', default: false },
} as const;

type A = {
  protocol: string; address: string; port?: number | undefined; scheduler: string; persistent?: unknown;
  netmask?: string | undefined; real_servers: Record<string, unknown>[];
};

/** The wanted service from the arguments, or an error message. */
export function wantedService(a: A): VirtualService | string {
  const proto: Proto = a.protocol === 'udp' ? 'UDP' : a.protocol === 'fwmark' ? 'FWM' : 'TCP';
  let key: string;
  if (proto === 'FWM') {
    if (!/^\d+$/.test(a.address)) return `protocol=fwmark needs the mark number as address, got '${a.address}'`;
    key = a.address;
  } else {
    const hasPort = /^\[.*\]:\d+$/.test(a.address) || /^[^:]+:\d+$/.test(a.address);
    if (!hasPort && a.port === undefined) return `address '${a.address}' needs a port ('10.0.0.5:25') or the port argument`;
    key = hasPort ? a.address : withPort(a.address, a.port!);
  }
  const svc: VirtualService = { proto, key, scheduler: a.scheduler, reals: [] };
  if (a.persistent !== undefined && a.persistent !== null) {
    const b = typeof a.persistent === 'number' ? undefined : toBool(a.persistent);
    const n = typeof a.persistent === 'number' ? a.persistent : /^\d+$/.test(String(a.persistent)) ? Number(a.persistent) : undefined;
    if (b === true) svc.persistent = 300;
    else if (n !== undefined && n > 0) svc.persistent = n;
    else if (b !== false && n === undefined) return `persistent must be a number of seconds or a boolean, got '${String(a.persistent)}'`;
  }
  if (a.netmask) {
    if (svc.persistent === undefined) return 'netmask only applies to a persistent service (set persistent)';
    svc.netmask = a.netmask;
  }
  const vport = proto === 'FWM' ? '0' : key.slice(key.lastIndexOf(':') + 1);
  for (const [i, r] of a.real_servers.entries()) {
    const addr = r.address ?? r.ip;
    if (typeof addr !== 'string' || !addr) return `real_servers[${i}] needs an address`;
    const forward = parseForward(String(r.method ?? r.forward ?? 'gatewaying'));
    if (!forward) return `real_servers[${i}]: unknown method '${String(r.method)}' (gatewaying|routing|masquerading|tunnelling, or -g/-m/-i)`;
    const weight = r.weight === undefined ? 1 : Number(r.weight);
    if (!Number.isInteger(weight) || weight < 0) return `real_servers[${i}]: weight must be an integer >= 0`;
    const port = r.port === undefined ? vport : String(r.port);
    svc.reals.push({ address: withPort(addr, port), forward, weight });
  }
  return svc;
}

const sameService = (x: VirtualService, y: VirtualService): boolean =>
  x.scheduler === y.scheduler && x.persistent === y.persistent && (x.netmask ?? '255.255.255.255') === (y.netmask ?? '255.255.255.255');

/** The ipvsadm argv lists that turn `have` (maybe absent) into `want`. */
export function planIpvs(have: VirtualService | undefined, want: VirtualService, purge: boolean): { argv: string[][]; after: VirtualService } {
  const argv: string[][] = [];
  const svc = serviceFlag(want);
  if (!have) argv.push(['-A', ...svc, ...serviceOptions(want)]);
  else if (!sameService(have, want)) argv.push(['-E', ...svc, ...serviceOptions(want)]);
  const reals: RealServer[] = have ? [...have.reals] : [];
  for (const r of want.reals) {
    const cur = reals.find((x) => x.address === r.address);
    const words = [...svc, '-r', r.address, forwardFlag(r.forward), '-w', String(r.weight)];
    if (!cur) {
      argv.push(['-a', ...words]);
      reals.unshift(r); // the kernel lists the newest destination first
    } else if (cur.forward !== r.forward || cur.weight !== r.weight) {
      argv.push(['-e', ...words]);
      reals[reals.indexOf(cur)] = r;
    }
  }
  if (purge) {
    for (const r of reals.filter((x) => !want.reals.some((w) => w.address === x.address))) {
      argv.push(['-d', ...svc, '-r', r.address]);
      reals.splice(reals.indexOf(r), 1);
    }
  }
  return { argv, after: { ...want, reals } };
}

export default defineModule({
  name: 'ipvs',
  aliases: ['ipvsadm'],
  args,
  check(a) {
    const w = wantedService(a);
    return typeof w === 'string' ? w : undefined;
  },
  async plan(ctx, a) {
    const want = wantedService(a) as VirtualService;
    const flavor = a.save ? await hostFlavor(ctx) : undefined;
    const savePath = flavor?.family === 'RedHat' ? '/etc/sysconfig/ipvsadm' : '/etc/ipvsadm.rules';
    const header = flavor?.family === 'RedHat' ? '' : '# ipvsadm.rules\n';
    const p = await probeBatch(ctx, {
      list: { cmd: sh`ipvsadm -L -n`, mergeStderr: true },
      save: sh`ipvsadm -S -n`,
      file: sh`cat ${savePath}`,
    });
    if (p.list.rc !== 0) {
      const why = p.list.stdout.trim();
      if (p.list.rc === 127 || /not found/.test(why)) return { kind: 'fail', msg: 'ipvsadm is not installed on the host (install the ipvsadm package)' };
      if (/Protocol not available|Can't initialize ipvs/.test(why)) return { kind: 'fail', msg: `IPVS is not available in this kernel (no ip_vs module): ${why.split('\n')[0]}` };
      return { kind: 'fail', msg: `ipvsadm -L -n failed (rc ${p.list.rc}): ${why}` };
    }
    const table = parseIpvsList(p.list.stdout);
    const have = table.find((s) => s.proto === want.proto && s.key === want.key);
    let argv: string[][] = [];
    let afterTable = table;
    if (a.state === 'present') {
      const r = planIpvs(have, want, a.purge_real_servers);
      argv = r.argv;
      afterTable = have ? table.map((s) => (s === have ? r.after : s)) : [...table, r.after];
    } else if (have) {
      argv = [['-D', ...serviceFlag(want)]];
      afterTable = table.filter((s) => s !== have);
    }
    const commands = argv.map((w) => sh`ipvsadm ${w}`);
    const diff: FileDiff[] = [];
    const changes = commands.map((c) => c.text);
    let save: Data['save'];
    if (a.save) {
      const fileText = p.file.rc === 0 ? p.file.stdout : null;
      // Unchanged table: the saved file must equal what ipvsadm saves now; otherwise predict it.
      const newText = header + (argv.length ? formatIpvsSave(afterTable) : p.save.stdout);
      if (fileText !== newText) {
        save = { path: savePath, header };
        changes.push(`${savePath} updated`);
        if (ctx.diffMode) diff.push(contentDiff(savePath, fileText, newText));
      }
    }
    if (!commands.length && !save) return { kind: 'ok', msg: `${want.proto} ${want.key} is ${a.state}` };
    if (commands.length) {
      const path = 'ipvsadm -L -n';
      diff.unshift({ path, beforeHeader: `${path} (before)`, afterHeader: `${path} (after)`, before: table.map(formatService).join(''), after: afterTable.map(formatService).join('') });
    }
    return { kind: 'change', msg: changes.join('; '), changes, diff, data: { commands, ...(save ? { save } : {}) } };
  },
  async apply(ctx, _a, data: Data) {
    for (const cmd of data.commands) await runChecked(ctx, cmd.text, cmd);
    if (data.save) {
      const saved = await runChecked(ctx, 'ipvsadm -S -n', sh`ipvsadm -S -n`);
      await ctx.writeFile(data.save.path, data.save.header + saved.stdout);
    }
    return { changed: true };
  },
});
