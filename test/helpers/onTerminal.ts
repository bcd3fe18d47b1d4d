/** Runs kelpie's CLI as on a terminal outside CI, where it draws the live view (anything written to process.stdout directly is captured too). */
import { main } from '../../src/cli/run.js';

export const LIVE_VIEW_ENV: NodeJS.ProcessEnv = { ...process.env, CI: undefined, GITHUB_ACTIONS: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' };

export async function onTerminal(argv: string[], cwd: string): Promise<{ code: number; screen: string }> {
  let screen = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    screen += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(argv, { out: (s) => void (screen += s), err: (s) => void (screen += s), cwd, env: LIVE_VIEW_ENV, tty: true, stdin: process.stdin });
    return { code, screen };
  } finally {
    process.stdout.write = write;
  }
}
