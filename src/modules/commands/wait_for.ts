/**
 * wait_for: waits, on the host, until a TCP port opens or closes or a file appears or
 * disappears (optionally containing a regex). The waiting is one shell loop sent in one
 * command. Ports are probed with bash's /dev/tcp (bash is essential on Debian, even
 * minbase), falling back to `nc -z`. search_regex is a Python regex: the loop searches with
 * `grep -P` (PCRE shares Python's syntax, named groups included); a file is searched whole
 * (-z) with (?m), as Ansible's re.MULTILINE search of the whole file, so a pattern may span
 * lines. The groups of the match are taken on the controller with Python's semantics. In check mode it is skipped,
 * as Ansible's module (no check mode support) is.
 */
import { sh, type ShellCommand } from '../../shell/quote.js';
import { withPathInfo } from '../_lib/pathInfo.js';
import { probePath } from '../_lib/probe.js';
import { compilePyRegex, PyRegexError, regexModuleFailure } from '../_lib/pyregex.js';
import { pythonRegexError } from '../_lib/pyRegexSyntax.js';
import { defineModule, type Plan, type ReadContext, type ResultData } from '../types.js';

const args = {
  host: { type: 'str', default: '127.0.0.1' },
  port: { type: 'int' },
  path: { type: 'path' },
  state: { type: 'str', default: 'started', choices: ['started', 'stopped', 'present', 'absent'] },
  search_regex: { type: 'str', description: 'Python regex the file or the data read from the port must match.' },
  delay: { type: 'int', default: 0 },
  timeout: { type: 'int', default: 300 },
  sleep: { type: 'int', default: 1 },
  connect_timeout: { type: 'int', default: 5 },
  msg: { type: 'str', description: 'Message instead of the default timeout message.' },
} as const;

type WaitArgs = {
  host: string;
  port?: number | undefined;
  path?: string | undefined;
  state: 'started' | 'stopped' | 'present' | 'absent';
  search_regex?: string | undefined;
  connect_timeout: number;
};

/** The condition to wait for, as shell; exit status 0 means "done waiting". */
export function waitCondition(a: WaitArgs): ShellCommand | undefined {
  const wantPresent = a.state === 'started' || a.state === 'present';
  let probe: ShellCommand;
  if (a.port !== undefined) {
    const ct = Math.max(1, a.connect_timeout);
    probe =
      a.search_regex !== undefined && wantPresent
        ? sh`timeout ${ct} bash -c 'exec 3<>"/dev/tcp/$0/$1" && grep -P -q -e "$2" <&3' ${a.host} ${a.port} ${a.search_regex}`
        : sh`{ if command -v bash >/dev/null 2>&1; then timeout ${ct} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${a.host} ${a.port}; else nc -z -w ${ct} ${a.host} ${a.port}; fi; } >/dev/null 2>&1`;
  } else if (a.path !== undefined) {
    probe =
      a.search_regex !== undefined && wantPresent
        ? sh`grep -Pzq -e ${`(?m)${a.search_regex}`} -- ${a.path} 2>/dev/null`
        : sh`[ -e ${a.path} ]`;
  } else return undefined;
  return wantPresent ? probe : sh`! { ${probe}; }`;
}

function timeoutMessage(a: WaitArgs): string {
  const present = a.state === 'started' || a.state === 'present';
  if (a.port !== undefined) {
    const where = `${a.host}:${a.port}`;
    if (!present) return `Timeout when waiting for ${where} to stop.`;
    return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${where}` : `Timeout when waiting for ${where}`;
  }
  if (!present) return `Timeout when waiting for ${a.path ?? ''} to be absent.`;
  return a.search_regex !== undefined
    ? `Timeout when waiting for search string ${a.search_regex} in ${a.path ?? ''}`
    : `Timeout when waiting for file ${a.path ?? ''}`;
}

export default defineModule({
  name: 'wait_for',
  args,
  check(a) {
    if (a.sleep < 0 || a.timeout < 0 || a.delay < 0) return 'delay, timeout and sleep must not be negative';
    return undefined;
  },
  // Ansible's wait_for does not support check mode: its action skips it in these words
  checkModeSkip: { msg: 'remote module (wait_for) does not support check mode' },
  async plan(ctx, a): Promise<Plan> {
    // Ansible's module compiles search_regex (as bytes) before anything else and fails at once
    const badRegex = a.search_regex !== undefined ? regexRefusal(a.search_regex) : undefined;
    if (badRegex) return badRegex;
    // Ansible's module refuses these before it waits, with elapsed 0
    const refused = a.port && a.path !== undefined ? 'port and path parameter can not both be passed to wait_for'
      : a.path !== undefined && a.state === 'stopped' ? 'state=stopped should only be used for checking a port in the wait_for module' : undefined;
    if (refused) return { kind: 'fail', msg: refused, result: { elapsed: 0 } };
    const t0 = Date.now();
    // Ansible's elapsed: whole seconds (a timedelta's .seconds)
    const elapsed = (): number => Math.floor((Date.now() - t0) / 1000);
    const cond = waitCondition(a);
    if (cond === undefined) {
      // Nothing to watch: Ansible just sleeps for `timeout` (after `delay`).
      await new Promise((r) => setTimeout(r, (a.delay + a.timeout) * 1000));
    } else {
      const loop = sh`end=$(( $(date +%s) + ${a.timeout} )); sleep ${a.delay}; while :; do if ${cond}; then exit 0; fi; [ "$(date +%s)" -lt "$end" ] || exit 1; sleep ${a.sleep}; done`;
      const res = await ctx.probe(loop, { timeoutMs: (a.delay + a.timeout + a.connect_timeout + a.sleep + 10) * 1000 });
      if (res.rc !== 0) return { kind: 'fail', msg: a.msg ?? timeoutMessage(a), result: { elapsed: elapsed() } };
    }
    const groups = a.path !== undefined && a.search_regex !== undefined && a.state !== 'absent' ? await matchGroups(ctx, a.path, a.search_regex) : NO_GROUPS;
    const result: ResultData = { state: a.state, port: a.port ?? null, search_regex: a.search_regex ?? null, ...groups, path: a.path ?? null, elapsed: elapsed() };
    return { kind: 'ok', result: await withPathInfo(ctx, result) };
  },
});

/** search_regex as Python's re refuses it: re.error is the module's own failure, anything else a crash. */
function regexRefusal(pattern: string): Plan | undefined {
  const bytes = Buffer.from(pattern, 'utf8').toString('latin1');
  const python = pythonRegexError(bytes, true);
  if (!python) return undefined;
  if (python.exception === 're.error') return { kind: 'fail', msg: `Invalid regular expression: ${python.message}` };
  return regexModuleFailure(new PyRegexError(bytes, python.message, python));
}

const NO_GROUPS = { match_groups: [], match_groupdict: {} };

/** The groups of search_regex's first match in the file, as Python's re reports them (None for a group that did not take part). */
async function matchGroups(ctx: ReadContext, path: string, pattern: string): Promise<{ match_groups: (string | null)[]; match_groupdict: Record<string, string | null> }> {
  // a pattern without a group has none to report: no need to read the file back
  if (!pattern.includes('(')) return NO_GROUPS;
  const text = (await probePath(ctx, path, { follow: true, content: true }))?.content?.toString('utf8') ?? '';
  const m = compilePyRegex(pattern, { multiline: true }).exec(text);
  if (!m) return NO_GROUPS;
  return {
    match_groups: m.slice(1).map((g: string | undefined) => g ?? null),
    match_groupdict: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, g]: [string, string | undefined]) => [k, g ?? null])),
  };
}
