/**
 * timezone: per host, the way that host's tools do it. systemd (running) → timedatectl;
 * Debian → /etc/timezone + /etc/localtime symlink; Red Hat SysV → ZONE="..." in
 * /etc/sysconfig/clock (quotes matter to its init scripts) + /etc/localtime link.
 * Messages and the diff show each zone's UTC offset as the host's `date +%z` gives it; an
 * Etc/GMT±N name gets a warning saying which side of UTC it is, and `refuse_dst` refuses
 * zones with summer time (kelpie's own option: Ansible's module has no such check).
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule, type Plan } from '../types.js';
import { probeBatch } from '../_lib/probeBatch.js';
import { runChecked } from '../_lib/runChecked.js';
import { etcGmtWarning, missingZoneHint, summerTime, utcOffset } from './timezoneOffsets.js';

const args = {
  name: { type: 'str' },
  hwclock: { type: 'str', aliases: ['rtc'], choices: ['local', 'UTC'] },
  refuse_dst: { type: 'bool', default: false, description: 'fail for a zone with summer time (its January and July UTC offsets differ)' },
} as const;

export type TzMethod = 'systemd' | 'debian' | 'redhat';

export interface TzPlanData {
  method: TzMethod;
  clock?: string;
}

const ZONEINFO = '/usr/share/zoneinfo';

/** Replaces (or adds) the ZONE line of /etc/sysconfig/clock, keeping every other line. */
export function setClockZone(text: string, zone: string): string {
  const line = `ZONE="${zone}"`;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const i = lines.findIndex((l) => /^\s*ZONE=/.test(l));
  if (i >= 0) lines[i] = line;
  else lines.unshift(line);
  return lines.join('\n') + '\n';
}

export function clockZone(text: string): string | undefined {
  const m = /^\s*ZONE=(?:"([^"]*)"|'([^']*)'|(\S*))/m.exec(text);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** /usr/share/zoneinfo/Etc/UTC or ../usr/share/zoneinfo/Etc/UTC → Etc/UTC */
export function zoneFromLink(target: string): string | undefined {
  const i = target.indexOf('zoneinfo/');
  return i >= 0 ? target.slice(i + 'zoneinfo/'.length).replace(/^(posix|right)\//, '') : undefined;
}

export default defineModule<typeof args, TzPlanData>({
  name: 'timezone',
  aliases: ['community.general.timezone'],
  args,
  check: (a) => (a.name === undefined && a.hwclock === undefined ? "one of 'name', 'hwclock' is required" : undefined),
  async plan(ctx, a): Promise<Plan<TzPlanData>> {
    if (a.hwclock !== undefined) ctx.log.warn("timezone: 'hwclock' is ignored by kelpie");
    if (a.name === undefined) return { kind: 'ok', msg: 'hwclock ignored' };
    const name = a.name;
    if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(name)) return { kind: 'fail', msg: `invalid time zone name '${name}'` };
    const zonePath = `${ZONEINFO}/${name}`;
    const year = new Date().getUTCFullYear();
    const r = await probeBatch(ctx, {
      // the offsets as the host's own date and zoneinfo give them: now (the current zone),
      // the wanted zone now, and the wanted zone in mid-January and mid-July of this year
      offsetNow: shellRaw('date +%z'),
      offsetWanted: sh`TZ=${name} date +%z`,
      offsetJan: sh`TZ=${name} date -d ${`${year}-01-15 12:00 UTC`} +%z`,
      offsetJul: sh`TZ=${name} date -d ${`${year}-07-15 12:00 UTC`} +%z`,
      systemd: shellRaw('test -d /run/systemd/system && command -v timedatectl'),
      tdctl: shellRaw('timedatectl show --property=Timezone --value'),
      redhat: shellRaw('test -f /etc/redhat-release'),
      etcTimezone: shellRaw('cat /etc/timezone'),
      clock: shellRaw('cat /etc/sysconfig/clock'),
      link: shellRaw('readlink /etc/localtime'),
      zone: sh`test -f ${zonePath}`,
      same: sh`cmp -s /etc/localtime ${zonePath}`,
    });
    if (r.zone.rc !== 0) {
      const list = await ctx.probe(sh`cd ${ZONEINFO} && find . -type f ! -name '*.tab' ! -name '*.zi' | sed 's|^\\./||'`);
      const hint = missingZoneHint(name, list.stdout.split('\n').filter((z) => z && !/^(posix|right)\//.test(z)));
      return { kind: 'fail', msg: `time zone '${name}' does not exist under ${ZONEINFO}${hint ? ` (${hint})` : ''}` };
    }
    const dst = summerTime(r.offsetJan.stdout, r.offsetJul.stdout);
    if (dst && a.refuse_dst) {
      return {
        kind: 'fail',
        msg: `refusing time zone '${name}': it has summer time (${utcOffset(dst.jan)} in January, ${utcOffset(dst.jul)} in July), so the server's log times jump twice a year; use Etc/GMT or UTC, or set refuse_dst: false`,
      };
    }
    const gmtNote = etcGmtWarning(name);
    if (gmtNote) ctx.log.warn(`timezone: ${gmtNote}`);
    const wantedOffset = utcOffset(r.offsetWanted.stdout);
    const method: TzMethod = r.systemd.rc === 0 ? 'systemd' : r.redhat.rc === 0 ? 'redhat' : 'debian';
    const linked = r.link.rc === 0 ? zoneFromLink(r.link.stdout.trim()) : undefined;
    let before: string | undefined;
    let fileOk: boolean;
    let clock: string | undefined;
    if (method === 'systemd') {
      before = r.tdctl.rc === 0 ? r.tdctl.stdout.trim() : linked;
      fileOk = before === name;
    } else if (method === 'redhat') {
      before = r.clock.rc === 0 ? clockZone(r.clock.stdout) : undefined;
      // The quotes are part of what is wanted: ZONE=Etc/GMT without them is rewritten.
      const quoted = r.clock.rc === 0 && new RegExp(`^ZONE="${name.replace(/[+]/g, '\\+')}"$`, 'm').test(r.clock.stdout);
      fileOk = quoted && r.same.rc === 0;
      if (!quoted) clock = setClockZone(r.clock.rc === 0 ? r.clock.stdout : '', name);
    } else {
      before = r.etcTimezone.rc === 0 ? r.etcTimezone.stdout.trim() : linked;
      fileOk = before === name && (linked === name || r.same.rc === 0);
    }
    const result = { name, utc_offset: r.offsetWanted.stdout.trim(), ...(gmtNote ? { warning: gmtNote } : {}) };
    if (fileOk) return { kind: 'ok', msg: `time zone is ${name} (${wantedOffset})`, result };
    const beforeName = before ?? linked ?? 'unknown';
    const beforeOffset = utcOffset(r.offsetNow.stdout);
    return {
      kind: 'change',
      changes: [`set time zone ${beforeName} -> ${name} (${method})`],
      msg: `timezone changed from ${beforeName} (${beforeOffset}) to ${name} (${wantedOffset})${gmtNote ? `; ${gmtNote}` : ''}`,
      diff: [{ path: 'timezone', beforeHeader: 'before', afterHeader: 'after', before: `name: ${beforeName}\noffset: ${beforeOffset}\n`, after: `name: ${name}\noffset: ${wantedOffset}\n` }],
      data: { method, ...(clock !== undefined ? { clock } : {}) },
      result,
    };
  },
  async apply(ctx, a, data, plan) {
    const name = a.name!;
    const zonePath = `${ZONEINFO}/${name}`;
    if (data.method === 'systemd') {
      await runChecked(ctx, 'timedatectl set-timezone', sh`timedatectl set-timezone ${name}`);
    } else {
      if (data.method === 'debian') await ctx.writeFile('/etc/timezone', name + '\n', { mode: '0644' });
      if (data.clock !== undefined) await ctx.writeFile('/etc/sysconfig/clock', data.clock);
      // A symlink made beside the target and renamed over it: /etc/localtime never goes missing.
      await runChecked(ctx, 'link /etc/localtime', sh`ln -sfn ${zonePath} /etc/.localtime.kelpie && mv -f /etc/.localtime.kelpie /etc/localtime`);
    }
    return plan.kind === 'change' ? { msg: plan.msg ?? `timezone set to ${name}`, result: plan.result ?? { name } } : { msg: `timezone set to ${name}`, result: { name } };
  },
});
