/** Parsers for getent's passwd/group/shadow lines (the files' own formats). */

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswdLine(line: string): PasswdEntry | undefined {
  const f = line.trim().split(':');
  if (f.length < 7 || !f[0]) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4] ?? '', home: f[5] ?? '', shell: f[6] ?? '' };
}

export function formatPasswdLine(p: PasswdEntry): string {
  return `${p.name}:x:${p.uid}:${p.gid}:${p.comment}:${p.home}:${p.shell}`;
}

export function parseGroupLines(stdout: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(':');
    if (f.length < 3 || !f[0]) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) });
  }
  return out;
}

/** The password hash field of a shadow line; undefined when unreadable. */
export function shadowHash(stdout: string): string | undefined {
  const f = stdout.trim().split(':');
  return f.length >= 2 && f[0] ? f[1] : undefined;
}

/** A group given by name or number, resolved against the group list. */
export function findGroup(groups: readonly GroupEntry[], g: string): GroupEntry | undefined {
  return /^\d+$/.test(g) ? groups.find((x) => x.gid === Number(g)) : groups.find((x) => x.name === g);
}
