/**
 * Boot-time persistence of runtime network state, the way the seed notes do it by hand:
 * Debian gets `up CMD || true` / `down CMD || true` lines in the device's stanza of
 * /etc/network/interfaces; Red Hat gets the command in /etc/rc.d/rc.local, or lines in
 * network-scripts' rule-DEV / route-DEV files. Pure text edits here; the plan/apply flow
 * is the shared textedit one.
 */
import type { FileDiff, ReadContext, WriteContext } from '../types.js';
import { hostFlavor } from '../_lib/hostFlavor.js';
import { applyTextEdit, planTextEdit, probeText, type TextEditData } from '../_lib/textedit.js';

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ');

/** Words that open a new top-level block of interfaces(5). */
const BLOCK_START = /^\s*(iface|auto|allow-\S+|mapping|source|source-directory|rename)\b/;

/** `auto eth0`, `auto lo eth0`, `allow-hotplug eth0`: a line that makes ifupdown bring DEV up. */
function activationRe(dev: string): RegExp {
  return new RegExp(`^\\s*(auto|allow-\\S+)(\\s+\\S+)*\\s+${escapeRe(dev)}(\\s|$)`);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Adds (or removes) option lines in `iface DEV ...` of an interfaces(5) file. A missing
 * stanza is created: `auto lo` + `iface lo inet loopback` for the loopback, `auto DEV` +
 * `iface DEV inet manual` otherwise. Lines already there (ignoring whitespace) are left alone.
 * At boot, networking runs `ifup -a`, which brings up (and runs the `up` lines of) only
 * interfaces named by `auto` (or `allow-hotplug`, when the device appears): a stanza
 * without one would never restore anything, so `auto DEV` is added when nothing names it.
 */
export function editInterfaces(text: string | null, dev: string, options: string[], state: 'present' | 'absent'): string {
  const lines = splitLines(text ?? '');
  const ifaceRe = new RegExp(`^\\s*iface\\s+${escapeRe(dev)}\\s+inet6?\\s`);
  let start = lines.findIndex((l) => ifaceRe.test(l + ' '));
  if (start < 0) {
    if (state === 'absent') return text ?? '';
    if (lines.length && lines[lines.length - 1]!.trim() !== '') lines.push('');
    if (dev === 'lo') lines.push('auto lo', 'iface lo inet loopback');
    else lines.push(`auto ${dev}`, `iface ${dev} inet manual`);
    start = lines.length - 1;
  }
  if (state === 'present' && !lines.some((l) => activationRe(dev).test(l))) {
    lines.splice(start, 0, `auto ${dev}`);
    start++;
  }
  let end = start + 1;
  while (end < lines.length && !BLOCK_START.test(lines[end]!)) end++;
  // Insert after the stanza's last non-blank line, not after the blank separator.
  let last = end - 1;
  while (last > start && lines[last]!.trim() === '') last--;
  const body = lines.slice(start + 1, last + 1);
  const indent = body.find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.match(/^\s*/)?.[0] || '    ';
  const wanted = new Set(options.map(norm));
  if (state === 'absent') {
    const kept = body.filter((l) => !wanted.has(norm(l)));
    lines.splice(start + 1, body.length, ...kept);
  } else {
    const have = new Set(body.map(norm));
    const add = options.filter((o) => !have.has(norm(o))).map((o) => indent + o);
    lines.splice(last + 1, 0, ...add);
  }
  return lines.join('\n') + '\n';
}

/** Appends missing lines to (or removes them from) a plain line file such as rc.local or route-eth1. */
export function editLineFile(text: string | null, wanted: string[], state: 'present' | 'absent', header = ''): string {
  const lines = text === null ? splitLines(header) : splitLines(text);
  const keys = new Set(wanted.map(norm));
  if (state === 'absent') return text === null ? '' : lines.filter((l) => !keys.has(norm(l))).join('\n') + (lines.length ? '\n' : '');
  const have = new Set(lines.map(norm));
  for (const w of wanted) if (!have.has(norm(w))) lines.push(w);
  return lines.join('\n') + '\n';
}

export interface PersistRequest {
  state: 'present' | 'absent';
  /** Debian: the stanza's device and its option lines (`up ... || true`, `down ... || true`). */
  debian: { dev: string; options: string[] };
  /** Red Hat: a file and the lines it must hold. */
  redhat: { path: string; lines: string[]; mode?: string; header?: string };
}

export interface PersistPlan {
  edits: TextEditData[];
  diff: FileDiff[];
  changes: string[];
  fail?: string;
}

export const INTERFACES = '/etc/network/interfaces';

/** Probes the file the host's flavor uses and computes the edit; nothing is written here. */
export async function planPersist(ctx: ReadContext, req: PersistRequest): Promise<PersistPlan> {
  const { family } = await hostFlavor(ctx);
  if (family === 'unknown') return { edits: [], diff: [], changes: [], fail: 'persist: cannot tell whether the host is Debian or Red Hat (os_family)' };
  const path = family === 'Debian' ? INTERFACES : req.redhat.path;
  const mode = family === 'Debian' ? undefined : req.redhat.mode;
  const { info, fail } = await probeText(ctx, path);
  if (fail) return { edits: [], diff: [], changes: [], fail: fail.kind === 'fail' ? fail.msg : `cannot edit ${path}` };
  const before = info?.content?.toString('utf8') ?? null;
  if (before === null && req.state === 'absent') return { edits: [], diff: [], changes: [] };
  const after =
    family === 'Debian'
      ? editInterfaces(before, req.debian.dev, req.debian.options, req.state)
      : editLineFile(before, req.redhat.lines, req.state, req.redhat.header);
  const plan = planTextEdit(ctx, { path, ...(mode ? { mode } : {}) }, info, { after: Buffer.from(after), msg: `${path} updated`, backupKey: 'backup_file' });
  if (plan.kind !== 'change' || !plan.data) return { edits: [], diff: [], changes: [] };
  return { edits: [plan.data], diff: plan.diff ?? [], changes: plan.changes ?? [] };
}

export async function applyPersist(ctx: WriteContext, edits: readonly TextEditData[]): Promise<string | undefined> {
  for (const e of edits) {
    const r = await applyTextEdit(ctx, e);
    if (r.failed) return r.msg ?? `writing ${e.path} failed`;
  }
  return undefined;
}
