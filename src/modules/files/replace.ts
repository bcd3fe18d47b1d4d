/** replace: regex substitution over a whole file (Python re.MULTILINE), like Ansible. */
import { defineModule } from '../types.js';
import { fileAttrArgs } from '../_lib/fileattrs.js';
import { compilePyRegex, PyRegexError, pySubn, regexModuleFailure } from '../_lib/pyregex.js';
import { applyTextEdit, planTextEdit, probeText, type TextEditData } from '../_lib/textedit.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  regexp: { type: 'str', required: true },
  replace: { type: 'str', default: '' },
  after: { type: 'str' },
  before: { type: 'str' },
  backup: { type: 'bool', default: false },
  validate: { type: 'str' },
  encoding: { type: 'str', default: 'utf-8' },
  ...fileAttrArgs,
} as const;

/** The part of the text replace works on: between `after` and `before` when given. */
function section(text: string, after: string | undefined, before: string | undefined): { start: number; end: number; pattern: string } | null {
  let pattern = '';
  if (after && before) pattern = `${after}(?P<subsection>.*?)${before}`;
  else if (after) pattern = `${after}(?P<subsection>.*)`;
  else if (before) pattern = `(?P<subsection>.*)${before}`;
  if (!pattern) return { start: 0, end: text.length, pattern };
  const re = compilePyRegex(pattern, { dotall: true });
  const m = new RegExp(re.source, re.flags + 'd').exec(text);
  const span = m?.indices?.groups?.subsection;
  return span ? { start: span[0], end: span[1], pattern } : null;
}

export function replaceText(text: string, a: { regexp: string; replace: string; after?: string | undefined; before?: string | undefined }):
  { text: string; count: number } | { noSection: string } {
  const sec = section(text, a.after, a.before);
  if (!sec) {
    const pattern = a.after && a.before ? `${a.after}(?P<subsection>.*?)${a.before}` : a.after ? `${a.after}(?P<subsection>.*)` : `(?P<subsection>.*)${a.before}`;
    return { noSection: pattern };
  }
  const part = text.slice(sec.start, sec.end);
  const [out, count] = pySubn(compilePyRegex(a.regexp, { multiline: true, global: true }), a.replace, part);
  return { text: text.slice(0, sec.start) + out + text.slice(sec.end), count: out === part ? 0 : count };
}

export default defineModule<typeof args, TextEditData>({
  name: 'replace',
  args,
  check(a) {
    if (a.validate !== undefined && !a.validate.includes('%s')) return `validate must contain %s: ${a.validate}`;
    return undefined;
  },
  async plan(ctx, a) {
    const { info, fail } = await probeText(ctx, a.path);
    if (fail) return fail;
    if (info === null) return { kind: 'fail', msg: `Path ${a.path} does not exist !`, result: { rc: 257 } };
    const enc = a.encoding.toLowerCase().replace('_', '-') === 'utf-8' || a.encoding.toLowerCase() === 'utf8' ? 'utf8' : 'latin1';
    const text = (info.content ?? Buffer.alloc(0)).toString(enc);
    let r;
    try {
      r = replaceText(text, a);
    } catch (e) {
      // Python's re raises in Ansible's module, which fails as a module crash: the same
      // msg and rc, kelpie's reason where Ansible has its traceback (docs/deviations.md: python-regex-error)
      if (e instanceof PyRegexError) return regexModuleFailure(e);
      return { kind: 'fail', msg: (e as Error).message };
    }
    if ('noSection' in r) {
      const msg = `Pattern for before/after params did not match the given file: ${r.noSection}`;
      return { kind: 'ok', msg, result: { msg, rc: 0 } };
    }
    const edit = { msg: r.count > 0 ? `${r.count} replacements made` : '', backupKey: 'backup_file' as const, result: { rc: 0 } };
    return planTextEdit(ctx, a, info, r.count > 0 ? { ...edit, after: Buffer.from(r.text, enc) } : edit);
  },
  apply: (ctx, _a, data) => applyTextEdit(ctx, data),
});
