/**
 * Jinja's HTML filters: `escape`/`e`, `forceescape`, `safe` (they return markupsafe's
 * Markup, a str subclass) and `urlize` (with Ansible's policy `rel="noopener"`).
 */
import { TemplateError } from '../../errors.js';
import { TypedText, num, pyStr, pythonRepr, truthy } from '../pyvalue.js';
import { arg, splitArgs, type FilterFn } from './args.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function markup(s: string): TypedText {
  return new TypedText(s, 'Markup');
}

function isMarkup(v: unknown): v is TypedText {
  return v instanceof TypedText && v.pyType === 'Markup';
}

/** A host, a dotted domain with a well-known TLD, or an IP, with an optional port and path (Jinja's rule). */
const HTTP_RE = new RegExp(
  '^(' +
    '(https?://|www\\.)(([\\w%-]+\\.)+)?([a-z]{2,63}|xn--[\\w%]{2,59})' +
    '|([\\w%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)' +
    '|(https?://)((\\d{1,3})(\\.\\d{1,3}){3}|\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}\\])' +
    ')(?::\\d{1,5})?(?:[/?#]\\S*)?$',
  'iu',
);
const EMAIL_RE = /^\S+@\w[\w.-]*\.\w+$/u;

/** Moves closing brackets back from the tail into the URL while it has unmatched opening ones. */
function balance(middle: string, tail: string): [string, string] {
  for (const [open, close] of [['(', ')'], ['<', '>'], ['&lt;', '&gt;']] as const) {
    const opens = middle.split(open).length - 1;
    if (opens <= middle.split(close).length - 1) continue;
    for (let n = Math.min(opens, tail.split(close).length - 1); n > 0; n--) {
      const end = tail.indexOf(close) + close.length;
      middle += tail.slice(0, end);
      tail = tail.slice(end);
    }
  }
  return [middle, tail];
}

function urlize(text: string, limit: number | undefined, rel: string, target: string | undefined, schemes: string[]): string {
  const trim = (x: string): string => (limit !== undefined && x.length > limit ? `${x.slice(0, limit)}...` : x);
  const relAttr = rel ? ` rel="${htmlEscape(rel)}"` : '';
  const targetAttr = target ? ` target="${htmlEscape(target)}"` : '';
  return htmlEscape(text)
    .split(/(\s+)/)
    .map((word) => {
      const lead = /^([(<]|&lt;)+/.exec(word)?.[0] ?? '';
      let middle = word.slice(lead.length);
      const trail = /([)>.,\n]|&gt;)+$/.exec(middle)?.[0] ?? '';
      middle = middle.slice(0, middle.length - trail.length);
      let tail = trail;
      [middle, tail] = balance(middle, tail);
      if (HTTP_RE.test(middle)) {
        const href = /^https?:\/\//.test(middle) ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith('mailto:') && EMAIL_RE.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && EMAIL_RE.test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else {
        for (const scheme of schemes) if (middle !== scheme && middle.startsWith(scheme)) middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
      }
      return lead + middle + tail;
    })
    .join('');
}

export const markupFilters: Record<string, FilterFn> = {
  escape: (v) => (isMarkup(v) ? v : markup(htmlEscape(pyStr(v)))),
  e: (v) => (isMarkup(v) ? v : markup(htmlEscape(pyStr(v)))),
  forceescape: (v) => markup(htmlEscape(pyStr(v))),
  safe: (v) => (isMarkup(v) ? v : markup(pyStr(v))),
  urlize(v, ...rest) {
    const a = splitArgs(rest);
    const limit = arg(a, 0, 'trim_url_limit', null);
    const rel = new Set(pyStr(arg(a, 3, 'rel', '') ?? '').split(/\s+/).filter(Boolean));
    if (truthy(arg(a, 1, 'nofollow', false))) rel.add('nofollow');
    rel.add('noopener'); // Ansible's policy urlize.rel
    const target = arg(a, 2, 'target', null);
    const schemes = arg(a, 4, 'extra_schemes', null);
    for (const s of Array.isArray(schemes) ? schemes : []) if (!/^[a-zA-Z][\w+.-]*:(\/\/)?$/.test(pyStr(s))) throw new TemplateError(`${pythonRepr(s)} is not a valid URI scheme prefix.`);
    const schemeList = Array.isArray(schemes) ? schemes.map((s) => pyStr(s)) : [];
    return urlize(pyStr(v), limit === null ? undefined : num(limit), [...rel].sort().join(' '), target === null ? undefined : pyStr(target), schemeList);
  },
};
