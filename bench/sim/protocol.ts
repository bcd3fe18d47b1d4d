/**
 * The simulated host's side of kelpie's persistent-shell protocol (src/connection/script.ts),
 * answered without spawning anything: each framed command line gets canned output framed
 * exactly as /bin/sh would frame it. Pure (tested in test/bench/protocol.test.ts).
 *
 * What a simulated host can answer: the session launch (ready marker), `trap : TERM`, the
 * kill/re-sync script, and commands; a command's reply is rc 0 and, for the command module's
 * `set -- 'echo' 'a' 'b'; … exec "$@"` form, the echoed words (anything else prints nothing).
 * Commands that send stdin (a here-document) are not supported and answered with rc 127.
 */

export interface Reply {
  stdout: string;
  stderr: string;
}

const READY = /(__kelpie_[0-9a-f]+_)r/;
// `quote` leaves a token bare (it is shell-safe) but might quote it: accept both
const COMMAND = /^wait; \{ printf '%s\\n' '?(__kelpie_[0-9a-f]+_)'?s; .*?\beval ('(?:[^']|'\\'')*'|[^\s)]+)/;
const KILL = /printf '%s\\n' '?(__kelpie_[0-9a-f]+_)'?k/;

/** The ready marker the session launch command prints, or undefined if it is not one of ours. */
export function readyReply(launch: string): string | undefined {
  const m = READY.exec(launch);
  return m ? `${m[1]}r\n` : undefined;
}

/** POSIX single-quoted word → its value ('a'\''b' → a'b). */
export function unquoteSingle(word: string): string {
  return word.replace(/^'|'$/g, '').split(`'\\''`).join(`'`);
}

/** Splits a line of single-quoted words separated by spaces (what `quote` produces for arrays). */
function quotedWords(s: string): string[] {
  const out: string[] = [];
  const re = /'(?:[^']|'\\'')*'|[^\s']+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[0].startsWith(`'`) ? unquoteSingle(m[0]) : m[0]);
  return out;
}

/** The canned stdout of one command as the simulated host "runs" it. */
export function cannedOutput(command: string): { rc: number; stdout: string } {
  const m = /^set -- (.*?); command -v/.exec(command);
  if (!m) return { rc: 0, stdout: '' };
  const words = quotedWords(m[1]!);
  if (words[0] === 'echo') return { rc: 0, stdout: words.slice(1).join(' ') + '\n' };
  return { rc: 0, stdout: '' };
}

function frame(token: string, body: string, rc: number): string {
  return `${token}s\n${body}\n${token}e${String(rc).padStart(3, '0')}\n`;
}

/** One line the controller wrote into the session → what the shell would print (or nothing). */
export function answerLine(line: string): Reply | undefined {
  const c = COMMAND.exec(line);
  if (c) {
    const token = c[1]!;
    if (line.includes(`<<'${token}i'`)) return { stdout: frame(token, '', 127), stderr: frame(token, 'simulated host: stdin not supported', 127) };
    const { rc, stdout } = cannedOutput(unquoteSingle(c[2]!));
    return { stdout: frame(token, stdout, rc), stderr: frame(token, '', rc) };
  }
  const k = KILL.exec(line);
  if (k) return { stdout: `${k[1]}k\n`, stderr: `${k[1]}k\n` };
  return undefined;
}

/** Feeds bytes from the session's stdin and returns the replies for every complete line. */
export class LineAnswerer {
  private pending = '';
  push(chunk: string): Reply[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.map(answerLine).filter((r): r is Reply => r !== undefined);
  }
}
