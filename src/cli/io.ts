import type { Interrupts } from './interrupt.js';

/** The CLI's window on the world; tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal (colour and the live view also depend on env and --color: terminal.ts) */
  tty: boolean;
  /** the terminal's size, for the live view (80×24 when unknown) */
  size?: () => { columns: number; rows: number };
  stdin: NodeJS.ReadableStream;
  /** SIGINT/SIGTERM, for a command that stops cleanly on them. */
  interrupts?: Interrupts;
}

export function processIo(): Io {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    tty: Boolean(process.stdout.isTTY),
    // a pty without a window size (script(1) with no terminal, some CI runners) reports 0
    size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
    stdin: process.stdin,
  };
}

/** Reads one line without echo on a terminal (for --ask-become-pass). */
export async function askSecret(prompt: string, io: Io): Promise<string> {
  io.err(prompt);
  const stdin = io.stdin as NodeJS.ReadStream;
  const raw = typeof stdin.setRawMode === 'function' && stdin.isTTY;
  if (raw) stdin.setRawMode(true);
  return new Promise((resolve) => {
    let buf = '';
    const onData = (d: Buffer | string): void => {
      const s = d.toString();
      for (const ch of s) {
        if (ch === '\n' || ch === '\r' || ch === '\u0004') {
          stdin.off('data', onData);
          if (raw) stdin.setRawMode(false);
          stdin.pause();
          io.err('\n');
          resolve(buf);
          return;
        }
        if (ch === '\u0003') process.exit(99);
        buf += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
