/**
 * The one argument parser for every kelpie command (commander), with one error style:
 * commander's own parse errors become UsageErrors (exit 5) worded like every other kelpie
 * error, `unknown option '--chek' (did you mean '--check'?)`.
 */
import { Command, CommanderError, Option } from 'commander';
import { KelpieError, type SourceLocation } from '../errors.js';
import { maskSecrets } from '../vault/mask.js';
import type { Io } from './io.js';

export class UsageError extends KelpieError {
  constructor(message: string, hint?: string, loc?: SourceLocation) {
    super('config', message, { ...(hint ? { hint } : {}), ...(loc ? { loc } : {}) });
    this.name = 'UsageError';
  }
}

/** ansible-playbook's exit code for an error that stopped a command: 5 bad options, 4 bad input, 1 anything else. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return 5;
  return e instanceof KelpieError ? 4 : 1;
}

/** An error as kelpie prints it (file:line:col: message (hint)). */
export function errorText(e: unknown): string {
  // a vault value quoted in an error (a template that failed around it) is masked as in results
  return maskSecrets(e instanceof KelpieError ? e.format() : e instanceof Error ? e.message : String(e), []);
}

/** The root command; subcommands made with `.command()` inherit its output and error settings. */
export function rootCommand(io: Pick<Io, 'out' | 'err'>): Command {
  return new Command('kelpie')
    .configureHelp({ styleTitle: (title) => title.toLowerCase() }) // `usage: kelpie playbook …`
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'show this help');
}

/** What a commander parse stop means for kelpie: an exit code, or a UsageError to report. */
export function fromCommanderError(e: CommanderError): number | UsageError {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
  if (e.code === 'commander.help') return 5; // help printed because no command was given
  const text = e.message.replace(/^error: /, '');
  const m = /\n\(Did you mean (.+)\?\)$/.exec(text);
  if (!m) return new UsageError(text.replace(/\.$/, ''));
  return new UsageError(text.slice(0, m.index), `did you mean '${m[1]}'?`);
}

/** Option value collectors and checks, shared by every command. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
export const countUp = (_: string, previous = 0): number => previous + 1;

export function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** A second long name for an option (Ansible's `--inventory-file`, `--key-file`): hidden, same value. */
export function addAlias(cmd: Command, flags: string, attribute: string, repeat = false): Command {
  cmd.addOption(new Option(flags).hideHelp());
  const event = `option:${new Option(flags).name()}`;
  return cmd.on(event, (value: string) => {
    const prev = cmd.getOptionValue(attribute) as string[] | undefined;
    cmd.setOptionValue(attribute, repeat ? [...(prev ?? []), value] : value);
  });
}
