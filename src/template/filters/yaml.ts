/**
 * A PyYAML-style dumper for to_yaml / to_nice_yaml, so rendered files match Ansible's:
 * sorted keys, indentless block sequences, `-   ` item padding with indent 4, flow style
 * for scalar-only collections in to_yaml, and YAML 1.1 quoting of ambiguous scalars.
 */
import { TemplateError } from '../../errors.js';
import { PyFloat, floatRepr, isDict, plain } from '../pyvalue.js';
import { Undef } from '../undefined.js';

export interface YamlOptions {
  indent: number;
  /** to_yaml: null (flow for leaf collections); to_nice_yaml: false (always block). */
  flow: boolean | null;
  sortKeys: boolean;
}

const RESOLVES_TO_OTHER = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

function plainAllowed(s: string, inFlow: boolean): boolean {
  if (s === '' || RESOLVES_TO_OTHER.some((r) => r.test(s))) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  if (/^[?:]/.test(s) && (s.length === 1 || inFlow)) return false;
  if (s.startsWith('-') && (s.length === 1 || /^- /.test(s) || /^---/.test(s))) return false;
  if (/: |:$| #/.test(s)) return false;
  if (inFlow && /[,[\]{}]/.test(s)) return false;
  if (/[\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029]/.test(s)) return false;
  return true;
}

function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

function quoteScalar(s: string, inFlow: boolean, contIndent: string): string {
  if (plainAllowed(s, inFlow)) return s;
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return doubleQuoted(s);
  // Single-quoted; a line break is written as an empty line, continuation indented.
  const body = s.replace(/'/g, "''").split('\n');
  if (body.length === 1) return `'${body[0]}'`;
  return "'" + body.map((l, i) => (i === 0 ? l : contIndent + l)).join('\n\n') + "'";
}

function scalar(v: unknown, inFlow: boolean, contIndent: string): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return Number.isInteger(v) ? String(v) : floatRepr(v);
  }
  return quoteScalar(String(v), inFlow, contIndent);
}

const isColl = (v: unknown): boolean => Array.isArray(v) || isDict(v);

export function pyYamlDump(value: unknown, opts: YamlOptions): string {
  const step = ' '.repeat(opts.indent);
  const keysOf = (d: Record<string, unknown>): string[] => (opts.sortKeys ? Object.keys(d).sort() : Object.keys(d));
  const norm = (v: unknown): unknown => {
    const p = plain(v);
    if (p instanceof Undef) p.fail();
    return p;
  };
  const flow = (vIn: unknown): string => {
    const v = norm(vIn);
    if (Array.isArray(v)) return '[' + v.map(flow).join(', ') + ']';
    if (isDict(v)) return '{' + keysOf(v).map((k) => `${scalar(k, true, '')}: ${flow(v[k])}`).join(', ') + '}';
    return scalar(v, true, '');
  };
  const useFlow = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.length === 0 || (opts.flow === null && v.every((x) => !isColl(norm(x))));
    if (isDict(v)) return Object.keys(v).length === 0 || (opts.flow === null && Object.values(v).every((x) => !isColl(norm(x))));
    return false;
  };
  // Emits a block node whose first line continues the current line; `ind` is its indentation.
  const block = (vIn: unknown, ind: string, depth: number): string => {
    const v = norm(vIn);
    if (depth > 100) throw new TemplateError('to_yaml: value nested too deeply');
    if (!isColl(v)) return scalar(v, false, ind + step) + '\n';
    if (useFlow(v)) return flow(v) + '\n';
    if (Array.isArray(v)) {
      return v
        .map((x, i) => {
          const item = norm(x);
          const inner = ind + step;
          const head = (i === 0 ? '' : ind) + '-' + (isColl(item) && !useFlow(item) ? ' '.repeat(Math.max(1, opts.indent - 1)) : ' ');
          return head + block(item, isColl(item) && !useFlow(item) ? inner : ind + step, depth + 1);
        })
        .join('');
    }
    const d = v as Record<string, unknown>;
    return keysOf(d)
      .map((k, i) => {
        const val = norm(d[k]);
        const head = (i === 0 ? '' : ind) + scalar(k, false, '') + ':';
        if (Array.isArray(val) && !useFlow(val)) return head + '\n' + ind + block(val, ind, depth + 1);
        if (isDict(val) && !useFlow(val)) return head + '\n' + ind + step + block(val, ind + step, depth + 1);
        return head + ' ' + block(val, ind, depth + 1);
      })
      .join('');
  };
  const top = norm(value);
  if (!isColl(top)) return scalar(top, false, step) + '\n';
  return block(top, '', 0);
}
