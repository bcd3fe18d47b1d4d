/**
 * validate_argument_spec: checks values against an argument spec in the format of a module's
 * (type, required, choices, elements, nested options), as Ansible's ArgumentSpecValidator does.
 * A role with meta/argument_specs.yml runs it first (src/playbook/roleArgSpecs.ts); the values
 * checked are the role's parameters over the variables of the same names. Nothing is set:
 * defaults in the spec are only checked, never defined, as in Ansible.
 */
import { toBool } from '../argspec.js';
import { defineModule } from '../types.js';

type Spec = Record<string, Record<string, unknown>>;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python's name of a value's type, as Ansible prints it in a conversion error. */
function pyType(v: unknown): string {
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (Array.isArray(v)) return "<class 'list'>";
  return isMap(v) ? "<class 'dict'>" : "<class 'NoneType'>";
}

/** Python's str() of a scalar, as Ansible's str conversion makes it. */
function pyStr(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** Converts a value to the spec's type the way Ansible's type checkers do, or throws their reason. */
function convert(v: unknown, type: string): unknown {
  switch (type) {
    case 'str':
    case 'path':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
      return JSON.stringify(v);
    case 'raw':
      return v;
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
      throw new Error(`${pyType(v)} cannot be converted to an int`);
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      throw new Error(`${pyType(v)} cannot be converted to a float`);
    case 'bool': {
      const b = toBool(v);
      if (b === undefined) throw new Error(`The value ${typeof v === 'string' ? `'${v}'` : pyStr(v)} is not a valid boolean.  Valid booleans include: 'yes', 'on', '1', 'true', 'y', 't', 1, 'no', 'off', '0', 'false', 'n', 'f', 0`);
      return b;
    }
    case 'list':
      if (Array.isArray(v)) return v;
      if (typeof v === 'string') return v.split(',');
      if (typeof v === 'number') return [pyStr(v)];
      throw new Error(`${pyType(v)} cannot be converted to a list`);
    case 'dict':
      if (isMap(v)) return v;
      throw new Error('dictionary requested, could not parse JSON or key=value');
    default:
      throw new Error(`type '${type}' is not one kelpie checks`);
  }
}

/** Ansible's choices check, after conversion; a YAML boolean spelled as one of the choices is taken back. */
function outsideChoices(name: string, value: unknown, choices: unknown[], where: string): string | undefined {
  const shown = choices.map(pyStr).join(', ');
  if (Array.isArray(value)) {
    const missing = value.filter((x) => !choices.includes(x));
    return missing.length ? `value of ${name} must be one or more of: ${shown}. Got no match for: ${missing.map(pyStr).join(', ')}${where && ` found in ${where}`}` : undefined;
  }
  if (choices.includes(value)) return undefined;
  if (value === 'True' || value === 'False') {
    const spellings = value === 'True' ? ['yes', 'on', 'y', 'true', 't', '1'] : ['no', 'off', 'n', 'false', 'f', '0'];
    if (choices.filter((c) => spellings.includes(String(c).toLowerCase())).length === 1) return undefined;
  }
  return `value of ${name} must be one of: ${shown}, got: ${pyStr(value)}${where && ` found in ${where}`}`;
}

/** Every error of `params` against `spec`, in Ansible's order: required, types, choices, then nested options. */
export function specErrors(spec: Spec, params: Record<string, unknown>, context: string[] = []): string[] {
  const errors: string[] = [];
  const where = context.join(' -> ');
  const values = { ...params };
  const missing = Object.entries(spec).filter(([k, o]) => o['required'] === true && (values[k] === undefined || values[k] === null)).map(([k]) => k);
  if (missing.length) errors.push(`missing required arguments: ${missing.sort().join(', ')}${where && ` found in ${where}`}`);
  for (const [name, opt] of Object.entries(spec)) {
    const v = values[name];
    if (v === undefined || v === null) continue;
    const type = typeof opt['type'] === 'string' ? opt['type'] : 'str';
    try {
      values[name] = convert(v, type);
      const elements = opt['elements'];
      if (typeof elements === 'string' && Array.isArray(values[name])) {
        values[name] = (values[name] as unknown[]).map((item) => {
          try {
            return convert(item, elements);
          } catch (e) {
            errors.push(`Elements value for option '${name}'${where && ` found in '${where}'`} is of type ${pyType(item)} and we were unable to convert to ${elements}: ${(e as Error).message}`);
            return item;
          }
        });
      }
    } catch (e) {
      errors.push(`argument '${name}' is of type ${pyType(v)}${where && ` found in '${where}'.`} and we were unable to convert to ${type}: ${(e as Error).message}`);
    }
  }
  for (const [name, opt] of Object.entries(spec)) {
    const choices = opt['choices'];
    if (!Array.isArray(choices) || values[name] === undefined || values[name] === null) continue;
    const e = outsideChoices(name, values[name], choices, where);
    if (e) errors.push(e);
  }
  for (const [name, opt] of Object.entries(spec)) {
    const sub = opt['options'];
    const v = values[name];
    if (!isMap(sub) || v === undefined || v === null) continue;
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) if (isMap(item)) errors.push(...specErrors(sub as Spec, item, [...context, name]), ...unsupported(sub as Spec, item));
  }
  return errors;
}

/** Ansible's error for names the spec does not have. */
function unsupported(spec: Spec, params: Record<string, unknown>): string[] {
  const known = new Set(Object.entries(spec).flatMap(([k, o]) => [k, ...(Array.isArray(o['aliases']) ? (o['aliases'] as string[]) : [])]));
  const extra = Object.keys(params).filter((k) => !known.has(k)).sort();
  return extra.length ? [`${extra.join(', ')}. Supported parameters include: ${Object.keys(spec).sort().join(', ')}.`] : [];
}

export default defineModule({
  name: 'validate_argument_spec',
  controllerOnly: true,
  args: {
    argument_spec: { type: 'dict', required: true },
    provided_arguments: { type: 'dict', default: {} },
    validate_args_context: { type: 'dict', default: {} },
  },
  plan(ctx, args) {
    const spec = args.argument_spec as Spec;
    // the variables of the spec's names, with their values as the task sees them
    const fromVars: Record<string, unknown> = {};
    for (const name of Object.keys(spec)) if (name in ctx.vars && /^[A-Za-z_]\w*$/.test(name)) fromVars[name] = ctx.template(`{{ ${name} }}`);
    const given = { ...fromVars, ...args.provided_arguments };
    const errors = [...specErrors(spec, given), ...unsupported(spec, given)];
    const context = { validate_args_context: args.validate_args_context };
    if (errors.length) {
      return Promise.resolve({
        kind: 'fail',
        msg: `Validation of arguments failed:\n${errors.join('\n')}`,
        result: { ...context, argument_spec_data: spec, argument_errors: errors },
      });
    }
    return Promise.resolve({ kind: 'ok', result: { ...context, msg: 'The arg spec validation passed' } });
  },
});
