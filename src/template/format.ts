/** Python string formatting: `'%05d' % 5`, `'%s=%s' | format(k, v)`, `'{} {}'.format(a, b)`. */
import { TemplateError } from '../errors.js';
import { isDict, isFloat, num, plain, pyStr, pythonRepr } from './pyvalue.js';
import { printfFixed } from './printfFixed.js';

function pad(body: string, flags: string, width: number, numeric: boolean): string {
  if (body.length >= width) return body;
  if (flags.includes('-')) return body.padEnd(width);
  if (flags.includes('0') && numeric) {
    const sign = /^[+\- ]/.test(body) ? body[0]! : '';
    return sign + body.slice(sign.length).padStart(width - sign.length, '0');
  }
  return body.padStart(width);
}

function signed(n: number, s: string, flags: string): string {
  if (n >= 0 && !s.startsWith('-') && flags.includes('+')) return '+' + s;
  if (n >= 0 && !s.startsWith('-') && flags.includes(' ')) return ' ' + s;
  return s;
}

function convert(conv: string, v: unknown, flags: string, prec: number | undefined): string {
  switch (conv) {
    case 's':
      return prec === undefined ? pyStr(v) : pyStr(v).slice(0, prec);
    case 'r':
      return pythonRepr(v);
    case 'd':
    case 'i':
    case 'u': {
      const n = Math.trunc(num(v));
      return signed(n, String(n), flags);
    }
    case 'f':
    case 'F': {
      const n = num(v);
      return signed(n, printfFixed(n, prec ?? 6), flags);
    }
    case 'e':
    case 'E': {
      const n = num(v);
      const s = n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return signed(n, conv === 'E' ? s.toUpperCase() : s, flags);
    }
    case 'g':
    case 'G': {
      const n = num(v);
      let s = n.toPrecision(prec ?? 6);
      if (!flags.includes('#')) s = s.includes('e') ? s.replace(/\.?0+e/, 'e') : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
      s = s.replace(/e([+-])(\d)$/, 'e$10$2');
      return signed(n, conv === 'G' ? s.toUpperCase() : s, flags);
    }
    case 'x':
      return Math.trunc(num(v)).toString(16);
    case 'X':
      return Math.trunc(num(v)).toString(16).toUpperCase();
    case 'o':
      return Math.trunc(num(v)).toString(8);
    case 'c':
      return typeof v === 'string' ? v : String.fromCodePoint(num(v));
    default:
      throw new TemplateError(`unsupported format character '${conv}'`);
  }
}

/** printf-style formatting; `args` is a tuple (array) or a dict for `%(name)s`. */
export function percentFormat(fmt: string, argsIn: unknown): string {
  const arg = plain(argsIn);
  const args = Array.isArray(arg) ? arg : [arg];
  let i = 0;
  const out = fmt.replace(/%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\d+))?([sdiufFeEgGxXorc%])/g, (_m, name: string | undefined, flags: string, w: string | undefined, p: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let width = 0;
    if (w === '*') width = num(args[i++]);
    else if (w) width = Number(w);
    let v: unknown;
    if (name !== undefined) {
      if (!isDict(arg)) throw new TemplateError('format requires a mapping');
      v = arg[name];
    } else {
      if (i >= args.length) throw new TemplateError('TypeError: not enough arguments for format string');
      v = args[i++];
    }
    const body = convert(conv, v, flags, p === undefined ? undefined : Number(p));
    return pad(body, flags, width, 'diufFeEgGxXo'.includes(conv));
  });
  if (!isDict(arg) && Array.isArray(arg) && i < args.length) throw new TemplateError('TypeError: not all arguments converted during string formatting');
  return out;
}

/** str.format with `{}`, `{0}`, `{name}` and simple specs like `{:>10}` / `{:.2f}` / `{:05d}`. */
export function pyFormat(fmt: string, argsIn: unknown[]): string {
  const last = argsIn[argsIn.length - 1];
  const kw = typeof last === 'object' && last !== null && '__keywords' in last ? (last as Record<string, unknown>) : {};
  const args = kw === last ? argsIn.slice(0, -1) : argsIn;
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const f = field ?? '';
    let v: unknown;
    if (f === '') v = args[auto++];
    else if (/^\d+$/.test(f)) v = args[Number(f)];
    else {
      const [head, ...path] = f.split('.');
      v = kw[head!];
      for (const p of path) v = (v as Record<string, unknown>)[p];
    }
    let s: string;
    if (conv === 'r') s = pythonRepr(v);
    else if (!spec) s = pyStr(v);
    else s = applySpec(v, spec);
    return s;
  });
}

function applySpec(v: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfeEgGxXob%])?$/.exec(spec);
  if (!m) throw new TemplateError(`invalid format spec '${spec}'`);
  const [, fill = ' ', align, sign = '', zero, w, comma, p, type] = m;
  let body: string;
  const prec = p === undefined ? undefined : Number(p);
  if (type === 'd' || (type === undefined && typeof v === 'number' && Number.isInteger(v) && !isFloat(v))) body = convert('d', v, sign, undefined);
  else if (type === '%') body = convert('f', num(v) * 100, sign, prec) + '%';
  else if (type && type !== 's') body = convert(type, v, sign, prec);
  else if (type === undefined && isFloat(v) && prec !== undefined) body = convert('g', v, sign, prec);
  else body = prec !== undefined ? pyStr(v).slice(0, prec) : pyStr(v);
  if (comma) body = body.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const width = w ? Number(w) : 0;
  if (body.length >= width) return body;
  const numeric = typeof plain(v) !== 'string';
  const al = align ?? (zero ? '=' : numeric ? '>' : '<');
  const f = zero && !align ? '0' : fill;
  const gap = width - body.length;
  if (al === '<') return body + f.repeat(gap);
  if (al === '>') return f.repeat(gap) + body;
  if (al === '^') return f.repeat(Math.floor(gap / 2)) + body + f.repeat(gap - Math.floor(gap / 2));
  const sg = /^[+\- ]/.test(body) ? body[0]! : '';
  return sg + f.repeat(gap) + body.slice(sg.length);
}
