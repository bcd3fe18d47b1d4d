/**
 * selinux in Ansible's shape: {status: 'disabled'} or {status: 'enabled', mode,
 * config_mode, type, policyvers}. Read from selinuxfs (/sys/fs/selinux, or /selinux on
 * RHEL 5/6) and /etc/selinux/config, so neither Python nor getenforce is needed;
 * `sestatus` output, when the tool exists on an SELinux host, fills gaps.
 */
import { parseKeyValues, splitSection, type FactFamily, type Facts } from './section.js';

const FILES = ['/sys/fs/selinux/enforce', '/sys/fs/selinux/policyvers', '/selinux/enforce', '/selinux/policyvers', '/etc/selinux/config'];
const SCRIPT =
  'echo ::sestatus::; { [ -e /sys/fs/selinux/enforce ] || [ -e /selinux/enforce ]; } && command -v sestatus >/dev/null 2>&1 && sestatus 2>/dev/null';

/** `sestatus` lines "SELinux status:                 enabled" → lower-cased keys. */
export function parseSestatus(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(.*)$/.exec(line.trim());
    if (m) out[m[1]!.trim().toLowerCase()] = m[2]!.trim();
  }
  return out;
}

export function parseSelinux(text: string): Facts {
  const { files, subs } = splitSection(text);
  const enforce = (files.get('/sys/fs/selinux/enforce') ?? files.get('/selinux/enforce'))?.trim();
  const policyvers = (files.get('/sys/fs/selinux/policyvers') ?? files.get('/selinux/policyvers'))?.trim();
  const config = parseKeyValues(files.get('/etc/selinux/config'));
  const st = parseSestatus(subs.get('sestatus') ?? '');
  const enabled = enforce !== undefined || st['selinux status'] === 'enabled';
  if (!enabled) return { selinux: { status: 'disabled' } };
  const mode = enforce === '1' ? 'enforcing' : enforce === '0' ? 'permissive' : st['current mode'] ?? 'unknown';
  const selinux: Record<string, unknown> = {
    status: 'enabled',
    mode,
    config_mode: (config.SELINUX ?? st['mode from config file'] ?? 'unknown').toLowerCase(),
    type: config.SELINUXTYPE ?? st['loaded policy name'] ?? 'unknown',
  };
  const pv = policyvers ?? st['max kernel policy version'];
  if (pv && /^\d+$/.test(pv)) selinux.policyvers = Number(pv);
  return { selinux };
}

export const selinuxFamily: FactFamily = { name: 'selinux', subset: 'min', files: FILES, script: SCRIPT, parse: parseSelinux };
