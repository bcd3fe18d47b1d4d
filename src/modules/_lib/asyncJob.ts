/**
 * Background jobs on the host, as Ansible's async_wrapper keeps them: the job's results
 * file is ~/.ansible_async/<jid>, `{"started": 1, "finished": 0, ...}` while it runs and the
 * finished result (JSON) afterwards. The job runs detached (setsid + nohup), so it outlives
 * the ssh connection that started it; a watchdog kills its process group after the async
 * limit and leaves Ansible's "Timeout exceeded" record. No Python is needed on the host:
 * the record is written by sh, date and awk.
 */
import { sh, shellRaw, type ShellCommand } from '../../shell/quote.js';
import type { ExecResult } from '../../connection/types.js';
import { formatDelta } from '../commands/run.js';
import type { CommandShape, TimedRun } from '../types.js';

/** A job's id shaped as Ansible's: 'j', random digits, a dot, a pid (kelpie's own). */
export function newJobId(random: number): string {
  return `j${random}.${process.pid}`;
}

/** JSON string of a file's bytes (control characters escaped), read with a final 'x' so a last newline is kept. */
const JSON_STRING_AWK = String.raw`
BEGIN { for (i = 1; i < 32; i++) m[sprintf("%c", i)] = sprintf("\\u%04x", i)
  m["\t"] = "\\t"; m["\r"] = "\\r"; m["\""] = "\\\""; m["\\"] = "\\\\"; printf "\"" }
function esc(s,   o, i, c) {
  if (s !~ /["\\]/ && s !~ /[[:cntrl:]]/) return s
  o = ""; for (i = 1; i <= length(s); i++) { c = substr(s, i, 1); o = o ((c in m) ? m[c] : c) }
  return o
}
NR > 1 { printf "%s\\n", esc(prev) }
{ prev = $0 }
END { printf "%s\"", esc(substr(prev, 1, length(prev) - 1)) }`;

/**
 * Past the limit ($j: the results file, $c: the command's process group): Ansible's
 * "Timeout exceeded" record, then the whole group killed. `.killed` tells the runner not
 * to write the finished record over it.
 */
const KILL_JOB = sh`kill -0 "$c" 2>/dev/null || exit 0; : > "$j.killed"
  printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %d}' "$c" > "$j.tmp" && mv -f "$j.tmp" "$j"
  kill -9 -"$c"`;

/** Kills a job past its limit now (kelpie's poll gave up: the host's watchdog may be a moment behind). */
export function killJobCommand(jid: string): ShellCommand {
  return sh`j=~/.ansible_async/${jid}; c=$(cat "$j.pid" 2>/dev/null) || exit 0; ${KILL_JOB}`;
}

/**
 * The detached runner ($1: the results file). It starts the command in a session of its
 * own, arms the watchdog, waits, and writes the record by temp file + rename.
 */
function runner(jid: string, seconds: number, cmd: ShellCommand, shape: CommandShape): ShellCommand {
  const stamp = sh`date '+%Y-%m-%d %H:%M:%S.%N' | cut -c1-26`;
  const esc = (file: ShellCommand): ShellCommand => sh`{ cat ${file}; printf x; } | awk ${JSON_STRING_AWK}`;
  const head = `{"started": 1, "finished": 1, "ansible_job_id": "${jid}", "rc": %d, "start": "%s", "end": "%s", "stdout": `;
  return sh`j=$1
start=$(${stamp})
setsid sh -c ${cmd.text} <"$j.in" >"$j.out" 2>"$j.err" &
c=$!
echo "$c" > "$j.pid"
( sleep ${seconds}; ${KILL_JOB} ) &
wait "$c"; rc=$?
end=$(${stamp})
if [ ! -e "$j.killed" ]; then
  { printf ${head} "$rc" "$start" "$end"; ${esc(shellRaw('"$j.out"'))}; printf ', "stderr": '; ${esc(shellRaw('"$j.err"'))}; printf ', "kelpie_command": %s}' ${JSON.stringify(shape)}; } > "$j.tmp" && mv -f "$j.tmp" "$j"
fi
rm -f "$j.in" "$j.out" "$j.err" "$j.pid" "$j.killed"
trap '' TERM; kill -TERM 0 2>/dev/null
exit 0`;
}

/**
 * Starts the job: writes its "started" record, the command's stdin, and detaches the
 * runner. Prints the results file's path (the remote user's home expanded).
 */
export function launchJob(jid: string, seconds: number, cmd: ShellCommand, shape: CommandShape): ShellCommand {
  const started = JSON.stringify({ started: 1, finished: 0, ansible_job_id: jid });
  return sh`d=~/.ansible_async; mkdir -p "$d" && j="$d"/${jid} || exit 1
printf '%s' ${started} > "$j" && cat > "$j.in" || exit 1
setsid nohup sh -c ${runner(jid, seconds, cmd, shape).text} kelpie-async "$j" >/dev/null 2>&1 </dev/null &
printf '%s\n' "$j"`;
}

/** Reads a job: its results file's path and record; `record` undefined while it is missing. */
export function readJobCommand(jid: string): ShellCommand {
  return sh`f=~/.ansible_async/${jid}; printf '%s\n' "$f"; [ -e "$f" ] || exit 3; cat "$f"`;
}

export interface JobState {
  resultsFile: string;
  /** undefined: no such job; null: the file is being written (not JSON yet). */
  record: Record<string, unknown> | null | undefined;
}

export function parseJobState(r: ExecResult): JobState {
  const nl = r.stdout.indexOf('\n');
  const resultsFile = nl >= 0 ? r.stdout.slice(0, nl) : r.stdout;
  if (r.rc === 3) return { resultsFile, record: undefined };
  if (r.rc !== 0) throw new Error(`cannot read the async job's results file ${resultsFile}: ${r.stderr.trim()}`);
  try {
    const data: unknown = JSON.parse(r.stdout.slice(nl + 1));
    return { resultsFile, record: data && typeof data === 'object' ? (data as Record<string, unknown>) : null };
  } catch {
    return { resultsFile, record: null };
  }
}

/** Stores a finished result as the job's record (stdin: its JSON); prints the results file's path. */
export function storeJobCommand(jid: string): ShellCommand {
  return sh`d=~/.ansible_async; mkdir -p "$d" && cat > "$d"/${jid}.tmp && mv -f "$d"/${jid}.tmp "$d"/${jid} && printf '%s\n' "$d"/${jid}`;
}

/** Removes the job's results file (async_status mode=cleanup). */
export function cleanupJobCommand(jid: string): ShellCommand {
  return sh`f=~/.ansible_async/${jid}; printf '%s\n' "$f"; [ -e "$f" ] || exit 3; rm -f -- "$f"`;
}

/** Ansible's async_status: a record without `started` is a finished module result. */
export function isFinished(record: Record<string, unknown>): boolean {
  return !('started' in record) || Number(record.finished) === 1;
}

/** Microseconds since the epoch of `YYYY-MM-DD HH:MM:SS.ffffff` (local time). */
function micros(stamp: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})$/.exec(stamp);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s, us] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).getTime() * 1000 + us;
}

/** A finished job's record as the run of its command. */
export function jobRun(record: Record<string, unknown>): TimedRun {
  const start = String(record.start ?? '');
  const end = String(record.end ?? '');
  const us = micros(end) - micros(start);
  return { rc: Number(record.rc), stdout: String(record.stdout ?? ''), stderr: String(record.stderr ?? ''), start, end, delta: formatDelta(Number.isNaN(us) ? 0 : us / 1000) };
}
