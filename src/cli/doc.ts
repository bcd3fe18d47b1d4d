/**
 * `kelpie doc MODULE` and `kelpie doc --list`: generated from the modules' argument specs,
 * the same specs every task is validated against, so the documentation cannot drift.
 */
import { didYouMean } from '../errors.js';
import type { ArgOption } from '../modules/argspec.js';
import { allModules, getModule, loadModules, moduleNames } from '../modules/index.js';
import type { AnyModule } from '../modules/types.js';
import type { Io } from './io.js';
import { UsageError } from './parser.js';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function argLine(name: string, o: ArgOption, freeForm: boolean): string {
  const type = o.type === 'list' && o.elements ? `list of ${o.elements}` : o.type;
  const facts = [
    type,
    ...(o.required ? ['required'] : []),
    ...(o.default !== undefined ? [`default: ${show(o.default)}`] : []),
    ...(o.choices ? [`choices: ${o.choices.map(show).join(', ')}`] : []),
    ...(o.aliases?.length ? [`aliases: ${o.aliases.join(', ')}`] : []),
    ...(o.noLog ? ['secret: masked in output'] : []),
    ...(freeForm ? ['free-form: the text after the module name'] : []),
  ];
  return `  ${name.padEnd(20)} ${facts.join('; ')}${o.description ? `\n  ${''.padEnd(20)} ${o.description}` : ''}`;
}

function moduleDoc(m: AnyModule): string {
  const names = [`ansible.builtin.${m.name}`, ...(m.aliases ?? [])].filter((n) => n !== m.name);
  const args = Object.entries(m.args as Record<string, ArgOption>).sort(([a], [b]) => a.localeCompare(b));
  return [
    `${m.name}${names.length ? ` (also: ${names.join(', ')})` : ''}`,
    '',
    m.controllerOnly
      ? 'Runs on the controller; never connects to the host.'
      : `Runs on the host over its SSH connection; ${m.checkModeSkip ? 'skipped in check mode, as in Ansible.' : 'check mode plans without changing anything.'}`,
    ...(m.anyArgs ? ['Takes any argument names besides those below.'] : []),
    '',
    args.length ? 'arguments:' : 'no arguments',
    ...args.map(([name, o]) => argLine(name, o, m.freeForm === name)),
    '',
  ].join('\n');
}

export async function docCommand(module: string | undefined, flags: { list?: boolean }, io: Io): Promise<number> {
  loadModules();
  if (flags.list || module === undefined) {
    if (!flags.list) throw new UsageError('name a module, or --list', 'kelpie doc copy');
    for (const m of allModules()) io.out(`${m.name.padEnd(18)} ${Object.keys(m.args).length} arguments${m.controllerOnly ? ', controller only' : ''}\n`);
    return 0;
  }
  const m = getModule(module);
  if (!m) throw new UsageError(`unknown module '${module}'`, didYouMean(module, moduleNames()) ?? 'kelpie doc --list');
  io.out(moduleDoc(m));
  return 0;
}
