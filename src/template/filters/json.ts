/** Python's json.dumps, byte for byte as Ansible's to_json / to_nice_json print it. */
import { TemplateError } from '../../errors.js';
import { PyFloat, floatRepr, isDict, plain } from '../pyvalue.js';
import { LenientUndef, Undef } from '../undefined.js';

export interface JsonOptions {
  indent?: number;
  sortKeys?: boolean;
  ensureAscii?: boolean;
}

function jsonString(s: string, ascii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ascii && c > 0x7e)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export function pyJsonDumps(value: unknown, opts: JsonOptions = {}): string {
  const ascii = opts.ensureAscii ?? true;
  const indent = opts.indent;
  const itemSep = indent === undefined ? ', ' : ',';
  const seen = new Set<object>();
  const enc = (vIn: unknown, level: number): string => {
    const v = plain(vIn);
    if (v instanceof LenientUndef) throw new TemplateError('Object of type Undefined is not JSON serializable');
    if (v instanceof Undef) v.fail();
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(v) ? String(v) : floatRepr(v);
    }
    if (typeof v === 'string') return jsonString(v, ascii);
    if (typeof v !== 'object') return jsonString(String(v), ascii);
    if (seen.has(v)) throw new TemplateError('to_json: circular reference detected');
    seen.add(v);
    try {
      const nl = indent === undefined ? '' : '\n' + ' '.repeat(indent * (level + 1));
      const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * level);
      if (Array.isArray(v)) {
        if (!v.length) return '[]';
        return '[' + nl + v.map((x) => enc(x, level + 1)).join(itemSep + nl) + end + ']';
      }
      if (!isDict(v)) return jsonString(String(v), ascii);
      let keys = Object.keys(v);
      if (!keys.length) return '{}';
      if (opts.sortKeys) keys = [...keys].sort();
      return '{' + nl + keys.map((k) => jsonString(k, ascii) + ': ' + enc(v[k], level + 1)).join(itemSep + nl) + end + '}';
    } finally {
      seen.delete(v);
    }
  };
  return enc(value, 0);
}
