/** Shared by the playbook tests: fixture paths and stand-in modules while the catalogue is being written. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadModules } from '../../src/modules/index.js';
import { getModule, registerModules } from '../../src/modules/registry.js';
import { defineModule, type AnyModule } from '../../src/modules/types.js';
import { PlaybookErrors } from '../../src/playbook/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'playbooks');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

const noop = async () => ({ kind: 'ok' as const });

const standIns: AnyModule[] = [
  defineModule({
    name: 'copy',
    args: {
      src: { type: 'path' }, dest: { type: 'path', required: true }, content: { type: 'str' }, mode: { type: 'mode' },
      owner: { type: 'str' }, group: { type: 'str' }, backup: { type: 'bool' }, force: { type: 'bool' },
    },
    plan: noop,
  }),
  defineModule({
    name: 'lineinfile',
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] }, line: { type: 'str', aliases: ['value'] },
      regexp: { type: 'str' }, state: { type: 'str', choices: ['present', 'absent'] }, create: { type: 'bool' },
    },
    plan: noop,
  }),
  defineModule({
    name: 'file',
    args: { path: { type: 'path', required: true, aliases: ['dest', 'name'] }, state: { type: 'str' }, mode: { type: 'mode' } },
    plan: noop,
  }),
  defineModule({
    name: 'command',
    args: { _raw_params: { type: 'str' }, cmd: { type: 'str' }, chdir: { type: 'path' }, creates: { type: 'path' }, removes: { type: 'path' } },
    freeForm: '_raw_params',
    plan: noop,
  }),
];

/** Registers the stand-ins whose names the real catalogue does not have (yet). */
export function withStandInModules(): void {
  loadModules();
  registerModules(standIns.filter((m) => !getModule(m.name)));
}

/** The formatted problems of a failed load, with the fixture directory cut off. */
export async function problemsOf(load: Promise<unknown>): Promise<string[]> {
  try {
    await load;
  } catch (e) {
    if (e instanceof PlaybookErrors) return e.format().split('\n').map((l) => l.split(`${FIXTURES}/`).join(''));
    if (e instanceof Error && 'format' in e) return [(e as PlaybookErrors).format().split(`${FIXTURES}/`).join('')];
    throw e;
  }
  throw new Error('expected the load to fail');
}
