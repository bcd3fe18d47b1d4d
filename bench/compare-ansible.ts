/**
 * Runs one playbook with ansible-playbook and with kelpie on twin fresh lab hosts (same image,
 * same packages), three times each (--check --diff, real, real again), and compares what each
 * tool reported per task and what each left on its host.
 *
 *   node --import tsx bench/compare-ansible.ts PLAYBOOK [--roles DIR] [--packages "nginx …"]
 *     [--prepare 'shell command run on both hosts first'] [--keep]
 *
 * It is how kelpie is tried on roles written for Ansible by other people: their code is not
 * part of this repository, so the roles live wherever the user put them (ANSIBLE_ROLES_PATH is
 * set to --roles for both tools). --packages adds Debian packages to the lab's local apt
 * repository (KELPIE_LAB_EXTRA_PACKAGES), since lab hosts have no other package source.
 * Exit code 0 when both tools agree on every task status and every effect, 1 otherwise.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { labDown, labUp, runInHost, snapshotUpper } from '../src/lab/index.js';
import type { Lab, LabHost } from '../src/lab/index.js';
import { run } from '../src/lab/exec.js';
import { ensureAnsible, kelpieCommand } from './lib/tools.js';

type Kind = 'check' | 'real' | 'again';
const KINDS: readonly Kind[] = ['check', 'real', 'again'];

/** One task's outcome on the tool's host: `name: status`, with the message when it failed. */
interface Outcome { task: string; status: string; msg?: string; checkUnknown?: boolean }
interface ToolRun { outcomes: Outcome[]; recap: string; rc: number }

/** What a host returns as its own identity, replaced so that twin hosts compare equal. */
function hostNeutral(text: string, host: LabHost): string {
  return text.split(host.name).join('<host>').split(host.address).join('<address>');
}

/** Paths whose content depends on when, not on what: logs, caches, apt/dpkg bookkeeping, temp. */
const VOLATILE = [/^var\/log\//, /^var\/cache\//, /^var\/lib\/apt\//, /^var\/lib\/dpkg\/(?!status$)/, /^tmp\//, /^run\//, /^root(\/|$)/, /^var\/lib\/systemd\//, /^var\/lib\/ucf\//, /^etc\/ld\.so\.cache$/];
/**
 * Paths compared by existence only: generated at random or from a PID (host keys, snakeoil
 * certificates and their hash links, Berkeley DB files, pid and lock files), or stamped with
 * the time a daemon wrote them (Redis snapshots).
 */
const RANDOM = [/^etc\/ssh\/ssh_host_/, /(^|\/)etc\/ssl\/(certs|private)\/(ssl-cert-snakeoil|[0-9a-f]{8}\.0$)/, /\.db$/, /\.(pid|lock)$/, /\.rdb$/];

/** The parity suite's Ansible callback: every task result per host, and the recap, as JSON. */
const RECORDER_DIR = resolve(import.meta.dirname, '..', 'test', 'parity', 'playbooks', 'ansible');

async function runAnsible(playbook: string, lab: Lab, host: LabHost, kind: Kind, env: NodeJS.ProcessEnv, work: string): Promise<ToolRun> {
  const out = join(work, `ansible-${kind}.json`);
  const res = await run('ansible-playbook', [playbook, '-i', lab.inventoryFile, '--limit', host.name, ...(kind === 'check' ? ['--check', '--diff'] : [])], {
    check: false,
    cwd: work,
    env: {
      ...env,
      KELPIE_PARITY_OUT: out,
      ANSIBLE_CALLBACK_PLUGINS: RECORDER_DIR,
      ANSIBLE_CALLBACKS_ENABLED: 'parity_recorder',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    },
  });
  const text = await readFile(out, 'utf8').catch(() => {
    throw new Error(`ansible-playbook recorded nothing (rc ${res.rc}):\n${res.stderr}${res.stdout}`);
  });
  const report = JSON.parse(text) as {
    hosts: Record<string, { task: string; status: string; result: Record<string, unknown> }[]>;
    recap: Record<string, Record<string, number>>;
  };
  const outcomes = (report.hosts[host.name] ?? []).map((e) => ({
    task: e.task,
    status: e.status,
    ...(e.status === 'failed' ? { msg: hostNeutral(String(e.result['msg'] ?? ''), host) } : {}),
  }));
  const s = report.recap[host.name] ?? {};
  return { outcomes, recap: recapLine(s['ok'], s['changed'], s['unreachable'], s['failed'], s['skipped']), rc: res.rc };
}

async function runKelpie(playbook: string, lab: Lab, host: LabHost, kind: Kind, env: NodeJS.ProcessEnv, work: string): Promise<ToolRun> {
  const json = join(work, `kelpie-${kind}.json`);
  const res = await run(...kelpieCommand(['playbook', playbook, '-i', lab.inventoryFile, '--limit', host.name, '--json', json, ...(kind === 'check' ? ['--check', '--diff'] : [])]), {
    check: false,
    cwd: work,
    env: { ...env, CI: 'true' },
  });
  const report = JSON.parse(await readFile(json, 'utf8')) as {
    plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown>; check_unknown?: boolean }> }[] }[];
    stats: Record<string, Record<string, number>>;
  };
  const outcomes: Outcome[] = [];
  for (const play of report.plays) {
    for (const t of play.tasks) {
      const h = t.hosts[host.name];
      if (!h) continue;
      outcomes.push({
        task: t.name,
        status: h.status,
        ...(h.status === 'failed' ? { msg: hostNeutral(String(h.result['msg'] ?? ''), host) } : {}),
        ...(h.check_unknown ? { checkUnknown: true } : {}),
      });
    }
  }
  const s = report.stats[host.name] ?? {};
  return { outcomes, recap: recapLine(s['ok'], s['changed'], s['unreachable'], s['failed'] ?? s['failures'], s['skipped']), rc: res.rc };
}

function recapLine(...n: (number | undefined)[]): string {
  const [ok, changed, unreachable, failed, skipped] = n.map((x) => x ?? 0);
  return `ok=${ok} changed=${changed} unreachable=${unreachable} failed=${failed} skipped=${skipped}`;
}

/** The host's changed files, with host-specific text neutralised in files under etc/. */
async function effects(host: LabHost): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [path, desc] of await snapshotUpper(host)) {
    if (VOLATILE.some((re) => re.test(path))) continue;
    if (RANDOM.some((re) => re.test(path))) {
      // a hash link's name is the certificate's hash: only that some link exists is comparable
      out.set(path.replace(/[0-9a-f]{8}\.0$/, '<hash>.0'), desc.split(' ')[0] ?? desc);
      continue;
    }
    const bytes = desc.startsWith('file ') && path.startsWith('etc/') ? await readFile(join(host.upperDir, path)) : undefined;
    if (bytes && !bytes.includes(0)) {
      out.set(path, `${desc.split(' ').slice(0, 3).join(' ')} ${hostNeutral(bytes.toString('utf8'), host)}`);
    } else out.set(path, desc);
  }
  return out;
}

/** Pairs the two task lists by name (longest common subsequence), so one extra row on one side shifts nothing. */
function align(a: Outcome[], k: Outcome[]): [Outcome | undefined, Outcome | undefined][] {
  const n = a.length;
  const m = k.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i]!.task === k[j]!.task ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const rows: [Outcome | undefined, Outcome | undefined][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i]!.task === k[j]!.task) rows.push([a[i++], k[j++]]);
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) rows.push([a[i++], undefined]);
    else rows.push([undefined, k[j++]]);
  }
  return rows;
}

/**
 * Lines marked '≠' differ; '~' is docs/deviations.md#check-cannot-verify: in check mode Ansible
 * fails a task that depends on an earlier simulated change (a file the package would install)
 * and stops the host, where kelpie reports "cannot verify" and goes on predicting.
 */
function compareOutcomes(a: Outcome[], k: Outcome[]): string[] {
  const lines: string[] = [];
  let deviating = false;
  for (const [x, y] of align(a, k)) {
    if (x?.status === 'failed' && y?.checkUnknown) deviating = true;
    const same = x && y && x.status === y.status && x.msg === y.msg;
    const mark = same ? '  ' : deviating && (!x || x.status === 'failed') ? '~ ' : '≠ ';
    const fmt = (o?: Outcome) => (o ? `${o.status}${o.checkUnknown ? ' (cannot verify)' : ''}${o.msg ? ` (${o.msg.slice(0, 100)})` : ''}` : '—');
    lines.push(`${mark}${(x ?? y)!.task.padEnd(60).slice(0, 60)} ansible ${fmt(x).padEnd(10)} kelpie ${fmt(y)}`);
  }
  return lines;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      roles: { type: 'string' },
      packages: { type: 'string' },
      prepare: { type: 'string' },
      keep: { type: 'boolean' },
      name: { type: 'string', default: 'compare' },
    },
  });
  const playbook = positionals[0];
  if (!playbook) {
    process.stderr.write('usage: compare-ansible PLAYBOOK [--roles DIR] [--packages "pkg …"] [--keep]\n');
    return 2;
  }
  if (values.packages) process.env['KELPIE_LAB_EXTRA_PACKAGES'] = values.packages;
  await ensureAnsible((s) => process.stderr.write(`${s}\n`));
  const env: NodeJS.ProcessEnv = { ...process.env, ...(values.roles ? { ANSIBLE_ROLES_PATH: resolve(values.roles) } : {}) };
  const lab = await labUp(2, { name: values.name, log: (s) => process.stderr.write(`${s}\n`) });
  let differences = 0;
  try {
    const [hA, hK] = lab.hosts as [LabHost, LabHost];
    // e.g. python3-apt, which Ansible's apt module needs in check mode and installs itself in
    // a real run: installed on both hosts first, so that neither run differs by it
    if (values.prepare) {
      for (const h of lab.hosts) {
        const r = await runInHost(h, ['/bin/sh', '-c', values.prepare]);
        if (r.rc !== 0) throw new Error(`--prepare failed on ${h.name} (rc ${r.rc}): ${r.stderr}`);
      }
    }
    const work = await mkdtemp(join(tmpdir(), 'kelpie-compare-'));
    const abs = resolve(playbook);
    for (const kind of KINDS) {
      const a = await runAnsible(abs, lab, hA, kind, env, work);
      const k = await runKelpie(abs, lab, hK, kind, env, work);
      const lines = compareOutcomes(a.outcomes, k.outcomes);
      const deviations = lines.filter((l) => l.startsWith('~')).length;
      const diffs = lines.filter((l) => l.startsWith('≠')).length + (deviations > 0 || a.recap === k.recap ? 0 : 1) + (deviations > 0 || a.rc === k.rc ? 0 : 1);
      differences += diffs;
      const verdict = diffs > 0 ? `${diffs} difference(s)` : deviations > 0 ? `identical but for ${deviations} task(s) of the documented deviation check-cannot-verify (~)` : 'identical';
      process.stdout.write(`\n## ${kind} run: ${verdict}\n${lines.join('\n')}\n`);
      process.stdout.write(`  recap   ansible ${a.recap} (rc ${a.rc})\n          kelpie  ${k.recap} (rc ${k.rc})\n`);
      if (kind === 'check') continue;
      const [ea, ek] = [await effects(hA), await effects(hK)];
      const paths = [...new Set([...ea.keys(), ...ek.keys()])].sort();
      const differing = paths.filter((p) => ea.get(p) !== ek.get(p));
      differences += differing.length;
      process.stdout.write(`  effects: ${paths.length} paths changed on the hosts, ${differing.length} differ${differing.length ? ':' : ''}\n`);
      if (differing.length > 25) process.stdout.write(`    (first 25 shown)\n`);
      for (const p of differing.slice(0, 25)) process.stdout.write(`    /${p}: ansible ${(ea.get(p) ?? 'absent').slice(0, 80)} | kelpie ${(ek.get(p) ?? 'absent').slice(0, 80)}\n`);
    }
  } finally {
    if (!values.keep) await labDown(values.name);
  }
  process.stdout.write(`\n${differences === 0 ? 'compare: identical' : `compare: ${differences} difference(s)`}\n`);
  return differences === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => { process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 2; });
