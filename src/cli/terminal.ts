/**
 * Colour and the live view, by the rules CI users expect. In order, the first that applies:
 *   --color=always | --color=never;
 *   FORCE_COLOR (colour on; `0` or `false` turn it off);
 *   NO_COLOR (non-empty: colour off);
 *   TERM=dumb, CI (any value), GITHUB_ACTIONS: colour off;
 *   otherwise colour when stdout is a terminal.
 * The live view is drawn with cursor movements, so it needs colour on, a terminal, no CI
 * and no TERM=dumb; everything else gets plain lines.
 */
import { UsageError } from './parser.js';

export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];

export function parseColorChoice(v: string): ColorChoice {
  if ((COLOR_CHOICES as readonly string[]).includes(v)) return v as ColorChoice;
  throw new UsageError(`--color must be one of ${COLOR_CHOICES.join(', ')}, got '${v}'`);
}

export interface TerminalMode {
  color: boolean;
  live: boolean;
}

const set = (v: string | undefined): boolean => v !== undefined;

export function terminalMode(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, choice: ColorChoice = 'auto'): TerminalMode {
  const ciOrDumb = env.TERM === 'dumb' || set(env.CI) || set(env.GITHUB_ACTIONS);
  let color: boolean;
  if (choice !== 'auto') color = choice === 'always';
  else if (set(env.FORCE_COLOR)) color = !['0', 'false'].includes(env.FORCE_COLOR!.toLowerCase());
  else if (env.NO_COLOR) color = false;
  else color = stdoutIsTTY && !ciOrDumb;
  return { color, live: color && stdoutIsTTY && !ciOrDumb };
}
