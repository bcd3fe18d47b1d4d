/**
 * The one place where values become shell text.
 *
 * Every command kelpie sends to a host is a `ShellCommand`. The only ways to make one are
 * the `sh` tagged template (which single-quotes every interpolated value) and `shellRaw`
 * (for text the user wrote as shell, e.g. the `shell:` module, or constants). A plain
 * string does not satisfy the type, so an unquoted value cannot reach a host by accident.
 */
declare const shellBrand: unique symbol;

export interface ShellCommand {
  readonly [shellBrand]: true;
  readonly text: string;
}

function make(text: string): ShellCommand {
  return { text } as ShellCommand;
}

/** POSIX single-quote escaping; safe for dash, bash, busybox sh. */
export function quote(value: string | number | bigint): string {
  const s = String(value);
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}

export type ShellArg = string | number | bigint | ShellCommand | readonly (string | number | ShellCommand)[];

function render(v: ShellArg): string {
  if (Array.isArray(v)) return (v as readonly (string | number | ShellCommand)[]).map(render).join(' ');
  if (typeof v === 'object' && v !== null && 'text' in v) return (v as ShellCommand).text;
  return quote(v as string | number | bigint);
}

/** sh`rm -f ${path}` → `rm -f '/tmp/a b'`. Arrays expand to several quoted words. */
export function sh(strings: TemplateStringsArray, ...values: ShellArg[]): ShellCommand {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return make(out);
}

/** Trusted shell text: constants in kelpie's source or shell the user wrote on purpose. */
export function shellRaw(text: string): ShellCommand {
  return make(text);
}

export function shellJoin(cmds: readonly ShellCommand[], sep: '&&' | ';' | '||' | '|' | '\n' = '&&'): ShellCommand {
  return make(cmds.map((c) => c.text).join(sep === '\n' ? '\n' : ` ${sep} `));
}

export function isShellCommand(v: unknown): v is ShellCommand {
  return typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string';
}
