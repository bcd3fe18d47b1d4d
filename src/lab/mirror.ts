import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface DebianMirror {
  uri: string;
  suite: string;
}

/**
 * The Debian mirror this machine's apt already uses, read at run time so that no registry
 * host name is ever written into the repository. Supports deb822 `.sources` files and the
 * one-line `sources.list` format; the first non-security, non-updates suite wins.
 */
export async function findDebianMirror(aptDir = '/etc/apt'): Promise<DebianMirror> {
  const texts: string[] = [];
  const dir = join(aptDir, 'sources.list.d');
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names.sort()) {
    if (n.endsWith('.sources') || n.endsWith('.list')) texts.push(await readFile(join(dir, n), 'utf8'));
  }
  texts.push(await readFile(join(aptDir, 'sources.list'), 'utf8').catch(() => ''));
  for (const text of texts) {
    const found = parseDeb822(text) ?? parseOneLine(text);
    if (found) return found;
  }
  throw new Error(`no Debian mirror found in ${aptDir}/sources.list*`);
}

function isMainSuite(s: string): boolean {
  return /^[a-z]+$/.test(s);
}

export function parseDeb822(text: string): DebianMirror | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (k: string): string[] => {
      const m = stanza.match(new RegExp(`^${k}:\\s*(.*)$`, 'mi'));
      return m?.[1]?.trim().split(/\s+/) ?? [];
    };
    if (!field('Types').includes('deb')) continue;
    if (field('Enabled')[0]?.toLowerCase() === 'no') continue;
    const uri = field('URIs')[0];
    const suite = field('Suites').find(isMainSuite);
    if (uri && suite && /debian\/?$/.test(uri)) return { uri, suite };
  }
  return undefined;
}

export function parseOneLine(text: string): DebianMirror | undefined {
  for (const line of text.split('\n')) {
    const m = line.trim().match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
    if (m?.[1] && m[2] && isMainSuite(m[2]) && /debian\/?$/.test(m[1])) return { uri: m[1], suite: m[2] };
  }
  return undefined;
}
