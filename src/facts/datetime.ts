/**
 * date_time (Ansible's shape, all values strings) and kelpie's `timezone` fact (the zone
 * name from /etc/timezone, /etc/sysconfig/clock ZONE= or the /etc/localtime link).
 * One `date` call gives every local field; two more give the zone's winter and summer
 * names so tz_dst is right in both hemispheres.
 */
import { parseKeyValues, splitSection, type FactFamily, type Facts } from './section.js';

const SCRIPT = [
  "echo ::date::; date '+%Y|%m|%d|%H|%M|%S|%s|%N|%Z|%z|%A|%w|%W|%b|%B|%a|%j'",
  '[ -f /etc/timezone ] || { echo ::localtime::; readlink /etc/localtime 2>/dev/null; }',
].join('\n');

function offsetMinutes(z: string): number {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function parseDateTime(text: string): Facts {
  const { files, subs } = splitSection(text);
  const facts: Facts = {};
  const f = (subs.get('date') ?? '').trim().split('|');
  if (f.length >= 13) {
    const [year, month, day, hour, minute, second, epoch, nanos, tz, tzOffset, weekday, weekdayNumber, weeknumber] = f as [
      string, string, string, string, string, string, string, string, string, string, string, string, string,
    ];
    const micro = /^\d+$/.test(nanos) ? nanos.padStart(9, '0').slice(0, 6) : '000000';
    const utc = new Date(Number(epoch) * 1000);
    const utcDate = `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
    const utcTime = `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
    const seasons = (subs.get('seasons') ?? '').split('\n').map((l) => l.trim().split(' ')).filter((p) => p.length === 2);
    let tzDst = tz;
    if (seasons.length === 2 && seasons[0]![0] !== seasons[1]![0]) {
      const [jan, jul] = seasons as [string[], string[]];
      tzDst = offsetMinutes(jan[1]!) > offsetMinutes(jul[1]!) ? jan[0]! : jul[0]!;
    } else if (seasons.length > 0) tzDst = seasons[0]![0]!;
    facts.date_time = {
      year, month, day, hour, minute, second, weekday,
      weekday_number: weekdayNumber,
      weeknumber,
      epoch,
      epoch_int: epoch,
      date: `${year}-${month}-${day}`,
      time: `${hour}:${minute}:${second}`,
      iso8601: `${utcDate}T${utcTime}Z`,
      iso8601_micro: `${utcDate}T${utcTime}.${micro}Z`,
      iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
      iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
      tz,
      tz_dst: tzDst,
      tz_offset: tzOffset,
    };
  }
  const zone =
    files.get('/etc/timezone')?.trim() ||
    parseKeyValues(files.get('/etc/sysconfig/clock')).ZONE ||
    /zoneinfo\/(.+)$/.exec((subs.get('localtime') ?? '').trim())?.[1];
  if (zone) facts.timezone = zone;
  return facts;
}

export const dateTimeFamily: FactFamily = {
  name: 'datetime', subset: 'min', files: ['/etc/timezone', '/etc/sysconfig/clock'], script: SCRIPT, parse: parseDateTime,
};
