/** Host entries as inventories write them: `web[01:20].example.com`, `db-[a:f]`, `h:2222`, `[::1]:22`. */

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Expand every `[begin:end(:step)]` range in a host name (Ansible's expand_hostname_range). */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const close = name.indexOf(']', open);
  if (close < 0) throw new Error(`host range in '${name}' has no closing ']'`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error(`host range in '${name}' must be [begin:end] or [begin:end:step]`);
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const stepText = bounds[2] ?? '1';
  if (!end) throw new Error(`host range in '${name}' must specify an end value`);
  const step = Number(stepText);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`host range step in '${name}' must be a positive integer`);

  let items: string[];
  const bi = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ei = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (bi >= 0 && ei >= 0) {
    if (bi > ei) throw new Error(`host range in '${name}' must have begin <= end`);
    items = [];
    for (let i = bi; i <= ei; i += step) items.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new Error(`host range in '${name}' must be numeric or single letters`);
    // A leading zero means fixed width, as in web[01:20].
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && end.length !== width) throw new Error(`host range in '${name}' must give begin and end with the same width`);
    items = [];
    for (let i = Number(beg); i <= Number(end); i += step) items.push(width ? String(i).padStart(width, '0') : String(i));
  }
  return items.flatMap((item) => expandHostRange(head + item + tail));
}

/** Split `host:port` / `[v6]:port`; a bare IPv6 address keeps its colons. */
export function splitHostPort(entry: string): { host: string; port: number | undefined } {
  const v6 = /^\[([0-9a-fA-F:.%\w]*:[0-9a-fA-F:.%\w]*:[^\]]*)\](?::(\d+))?$/.exec(entry);
  if (v6 && (v6[1]!.match(/:/g) ?? []).length >= 2) return { host: v6[1]!, port: v6[2] !== undefined ? Number(v6[2]) : undefined };
  // Colons inside range brackets are not port separators.
  const outside = entry.replace(/\[[^\]]*\]/g, (m) => '_'.repeat(m.length));
  const colons = [...outside.matchAll(/:/g)].map((m) => m.index ?? 0);
  if (colons.length === 1) {
    const at = colons[0]!;
    const port = entry.slice(at + 1);
    if (/^\d+$/.test(port)) return { host: entry.slice(0, at), port: Number(port) };
    throw new Error(`'${entry}': the part after ':' must be a port number`);
  }
  return { host: entry, port: undefined };
}

/** Host names and optional port from one inventory host entry. */
export function parseHostEntry(entry: string): { hosts: string[]; port: number | undefined } {
  const { host, port } = splitHostPort(entry.trim());
  if (!host) throw new Error(`empty host name in '${entry}'`);
  return { hosts: host.includes('[') ? expandHostRange(host) : [host], port };
}
