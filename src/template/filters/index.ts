/** Registers every filter on a nunjucks environment, guarding against undefined inputs. */
import type nunjucks from 'nunjucks';
import { pyJsonDumps } from './json.js';
import { pyJsonLoadsError } from './pyjson-error.js';
import { pyYamlLoadError } from './pyyaml-error.js';
import { yamlDumpFilter } from './yaml.js';
import { coreFilters } from './core.js';
import { stringFilters } from './strings.js';
import { collectionFilters } from './collections.js';
import { pathFilters } from './paths.js';
import { mathFilters } from './math.js';
import { textFilters } from './text.js';
import { markupFilters } from './markup.js';
import { arg, splitArgs, type FilterFn } from './args.js';
import { NativeText, num, plain, pyStr, truthy } from '../pyvalue.js';
import { LenientUndef, Undef } from '../undefined.js';
import { TemplateError } from '../../errors.js';
import { loadAllYaml11, loadYaml11 } from '../../yaml11.js';

/** A filter reading YAML text (anything else passes through), its errors named after it. */
function fromYaml(name: string, load: (text: string, file: string) => unknown): FilterFn {
  return (v) => {
    const s = plain(v);
    if (typeof s !== 'string') return s;
    try {
      return load(s, name);
    } catch (e) {
      // Ansible's message is PyYAML's own; the yaml library's wording where it is not modelled
      throw new TemplateError(pyYamlLoadError(s, name === 'from_yaml') ?? `${name}: ${(e as Error).message}`);
    }
  };
}

const serialFilters: Record<string, FilterFn> = {
  to_json(v, ...rest) {
    const a = splitArgs(rest);
    const indent = a.kw['indent'];
    return pyJsonDumps(v, {
      ...(indent !== undefined && indent !== null ? { indent: num(indent) } : {}),
      sortKeys: truthy(a.kw['sort_keys'] ?? false),
      ensureAscii: truthy(a.kw['ensure_ascii'] ?? true),
    });
  },
  to_nice_json(v, ...rest) {
    const a = splitArgs(rest);
    return pyJsonDumps(v, { indent: num(arg(a, 0, 'indent', 4)), sortKeys: truthy(a.kw['sort_keys'] ?? true), ensureAscii: truthy(a.kw['ensure_ascii'] ?? true) });
  },
  from_json(v) {
    try {
      return JSON.parse(pyStr(v)) as unknown;
    } catch (e) {
      // Ansible's message is json.loads' own; V8's wording only where Python would accept the text
      throw new TemplateError(pyJsonLoadsError(pyStr(v)) ?? `from_json: ${(e as Error).message}`);
    }
  },
  to_yaml: yamlDumpFilter('to_yaml'),
  to_nice_yaml: yamlDumpFilter('to_nice_yaml'),
  from_yaml: fromYaml('from_yaml', loadYaml11),
  from_yaml_all: fromYaml('from_yaml_all', loadAllYaml11),
};

/** Ansible's STRING_TYPE_FILTERS: their text is never converted back to a list or dict. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml']);

/** Filters that see their input as it is (a NativeText box included). */
const RAW_INPUT = new Set(['type_debug', 'escape', 'e', 'safe']);

/** Filters that accept an undefined value; every other filter fails on one, naming it. */
const UNDEF_OK = new Set(['default', 'd', 'mandatory']);

/** Filters whose Python code reads Jinja's lenient Undefined through str(), len() or iteration: they see ''. */
const LENIENT_AS_EMPTY = new Set(['length', 'count', 'string', 'list', 'join', 'lower', 'upper', 'trim', 'bool']);

/** A lenient Undefined (`a if cond`, no else) given to filter `name`: what the filter sees, or Python's failure. */
function lenientInput(name: string, value: LenientUndef): unknown {
  if (LENIENT_AS_EMPTY.has(name)) return '';
  if (name === 'type_debug' || name === 'to_json' || name === 'to_nice_json') return value; // they name its type
  // Ansible's filter error, then the PyYAML error it wraps
  const why = "('cannot represent an object', Undefined)";
  if (name === 'to_yaml' || name === 'to_nice_yaml') throw new TemplateError(`${name} - ${why}. ${why}`);
  return value.fail();
}

export const allFilters: Record<string, FilterFn> = { ...coreFilters, ...stringFilters, ...collectionFilters, ...pathFilters, ...mathFilters, ...textFilters, ...markupFilters, ...serialFilters };

export function registerFilters(env: nunjucks.Environment): void {
  for (const [name, fn] of Object.entries(allFilters)) {
    const text = STRING_TYPE_FILTERS.has(name);
    const guarded: FilterFn = UNDEF_OK.has(name)
      ? fn
      : function (value, ...args) {
          if (value instanceof LenientUndef) value = lenientInput(name, value);
          else if (value instanceof Undef) value.fail();
          for (const a of args) if (a instanceof Undef) a.fail();
          const out = fn.call(this, RAW_INPUT.has(name) ? value : plain(value), ...args);
          return text && typeof out === 'string' ? new NativeText(out) : out;
        };
    env.addFilter(name, guarded as (...args: unknown[]) => unknown);
    env.addFilter(`ansible.builtin.${name}`, guarded as (...args: unknown[]) => unknown);
  }
}
