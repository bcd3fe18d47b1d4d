/**
 * What may differ between two runs of the same case and is not behaviour: timestamps, temp
 * paths, durations, inode numbers. Applied to both Ansible's and kelpie's output.
 */
const TIME_KEYS = new Set(['atime', 'mtime', 'ctime', 'start', 'end', 'stop']);

/** copy/template's `src` when it names Ansible's own upload temp file (docs/deviations.md: copy-src) */
function isUploadTemp(v: unknown): boolean {
  return typeof v === 'string' && (/ansible-tmp-[\d.]+-\d+-\d+\/source$|ansible-tmp-<id>\/source$/.test(v) || /\.ansible-local\//.test(v));
}

/** `ansible-generated on <lab>-host01`: a lab host's name (src/lab/lab.ts names them `<lab>-hostNN`) */
const labHostComment = (v: string): string => v.replace(/ansible-generated on \S+-host\d\d\b/, 'ansible-generated on <lab host>');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function normalize(v: Json, root: string, key = ''): Json {
  if (typeof v === 'string') {
    if (TIME_KEYS.has(key) && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(v)) return '<time>';
    if (key === 'delta' && /^\d+:\d\d:\d\d/.test(v)) return '<duration>';
    // pause's measured duration
    if (key === 'stdout' && /^Paused for \d+\.\d+ (seconds|minutes)$/.test(v)) return v.replace(/\d+\.\d+/, '<duration>');
    // lsattr's version: the inode's generation number, as random as the inode itself
    if (key === 'version' && /^\d+$/.test(v)) return '<generation>';
    // a key generate_ssh_key made is random: the fingerprint's hash, the public key's base64;
    // its default comment names the lab host, whose name follows the lab's (and KELPIE_LAB_PREFIX)
    if (key === 'ssh_fingerprint') return labHostComment(v.replace(/SHA256:[A-Za-z0-9+/]+/, 'SHA256:<fingerprint>'));
    if (key === 'ssh_public_key') return labHostComment(v.replace(/^(\S+) [A-Za-z0-9+/]+=*/, '$1 <public key>'));
    // an async job's id is random: Ansible's is digits.pid, kelpie's the same shape
    if (key === 'ansible_job_id' && /^j?\d+\.\d+$/.test(v)) return '<jid>';
    return v
      .split(root)
      .join('<tmp>')
      // a position in the generated playbook depends on which cases run with this one
      // (docs/deviations.md: error-location)
      .replace(/<tmp>\/playbook\.yml:\d+:\d+: /g, '<tmp>/playbook.yml:<line>:<col>: ')
      .replace(/ansible-tmp-[\d.]+-\d+-\d+/g, 'ansible-tmp-<id>')
      .replace(/\/\.ansible_async\/j?\d+\.\d+/g, '/.ansible_async/<jid>')
      .replace(/<tmp>\/\.ansible-local\/ansible-local-\w+\/tmp\w+/g, '<tmp>/.ansible-local/<file>')
      // backup files: NAME.PID.YYYY-MM-DD@HH:MM:SS~
      .replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g, '.<pid>.<time>~');
  }
  if (typeof v === 'number') {
    if (TIME_KEYS.has(key)) return '<time>';
    if (key === 'inode') return '<inode>';
    // wait_for's (and reboot's) elapsed: whole seconds waited; a float would still differ
    if (key === 'elapsed' && Number.isInteger(v) && v >= 0) return '<seconds>';
    // apt's cache_update_time: when the host's package lists were written (the lab image's build)
    if (key === 'cache_update_time') return '<time>';
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => normalize(x, root, key === 'stdout_lines' || key === 'results' ? '' : key));
  if (v !== null && typeof v === 'object') {
    // a Python traceback of Ansible's own code is not behaviour, and `diff` is compared as
    // rendered output, not as a result key (docs/deviations.md: exception, diff-key)
    const kept = Object.entries(v).filter(([k, x]) => !(k === 'exception' && typeof x === 'string') && k !== 'diff' && !(k === 'src' && isUploadTemp(x)));
    // keys can be paths too (find's skipped_paths)
    return Object.fromEntries(kept.map(([k, x]) => [k.split(root).join('<tmp>'), normalize(x, root, k)]));
  }
  return v;
}
