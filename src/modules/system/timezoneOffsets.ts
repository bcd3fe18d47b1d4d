/**
 * What a time zone name means in hours, for the timezone module's messages and refusals.
 * `Etc/GMT+10` is POSIX's spelling of UTC-10 (the sign is inverted), so a name that reads
 * like "ten hours ahead" puts the clock ten hours behind: kelpie says so, and never
 * suggests the opposite sign for a name that does not exist.
 */
import { didYouMean } from '../../errors.js';

/** `Etc/GMT+10` (or `GMT+10`) → { sign: '+', hours: 10 }; undefined for other names and for ±0. */
export function etcGmt(name: string): { sign: '+' | '-'; hours: number } | undefined {
  const m = /^(?:Etc\/)?GMT([+-])(\d{1,2})$/.exec(name);
  if (!m || Number(m[2]) === 0) return undefined;
  return { sign: m[1] as '+' | '-', hours: Number(m[2]) };
}

/** `-1000` → `UTC-10:00`, as `date +%z` prints the offset. */
export function utcOffset(z: string): string {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z.trim());
  return m ? `UTC${m[1]}${m[2]}:${m[3]}` : `UTC offset ${z.trim() || 'unknown'}`;
}

/** The warning for an Etc/GMT±N name: which side of UTC it really is. */
export function etcGmtWarning(name: string): string | undefined {
  const g = etcGmt(name);
  if (!g) return undefined;
  const really = g.sign === '+' ? `UTC-${g.hours}, ${g.hours} hours BEHIND UTC` : `UTC+${g.hours}, ${g.hours} hours AHEAD of UTC`;
  const other = `Etc/GMT${g.sign === '+' ? '-' : '+'}${g.hours}`;
  return `${name} is ${really}: the sign of Etc/GMT±N is POSIX's, the opposite of what it reads like (for UTC${g.sign}${g.hours} the name is ${other}${g.sign === '-' && g.hours > 12 ? ', which does not exist' : ''})`;
}

/**
 * The hint for a zone that does not exist. An Etc/GMT±N beyond the range gets the nearest
 * zone of the SAME sign and the explanation, never the flipped name a plain edit-distance
 * guess would offer (Etc/GMT+14 → Etc/GMT-14 is UTC+14, the other side of the world).
 */
export function missingZoneHint(name: string, zones: string[]): string | undefined {
  const g = etcGmt(name);
  if (g) {
    const last = g.sign === '+' ? 12 : 14;
    const nearest = `Etc/GMT${g.sign}${Math.min(g.hours, last)}`;
    const span = g.sign === '+' ? `Etc/GMT+N is UTC-N and goes down to Etc/GMT+12 (UTC-12)` : `Etc/GMT-N is UTC+N and goes up to Etc/GMT-14 (UTC+14)`;
    return `did you mean '${nearest}'? ${span}; the sign of Etc/GMT±N is inverted`;
  }
  return didYouMean(name, zones);
}

/** The offsets of a zone in mid-January and mid-July: different means it has summer time. */
export function summerTime(jan: string, jul: string): { jan: string; jul: string } | undefined {
  const a = jan.trim();
  const b = jul.trim();
  return /^[+-]\d{4}$/.test(a) && /^[+-]\d{4}$/.test(b) && a !== b ? { jan: a, jul: b } : undefined;
}
