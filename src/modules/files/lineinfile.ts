/** lineinfile: make sure one line is (or is not) in a file, with Ansible's exact semantics. */
import { defineModule } from '../types.js';
import { fileAttrArgs } from '../_lib/fileattrs.js';
import { PyRegexError, regexModuleFailure } from '../_lib/pyregex.js';
import { applyTextEdit, planTextEdit, probeText, type TextEditData } from '../_lib/textedit.js';
import { editAbsent, editPresent, readLines } from './lineinfileEdit.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  regexp: { type: 'str', aliases: ['regex'] },
  search_string: { type: 'str' },
  line: { type: 'str', aliases: ['value'] },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  backrefs: { type: 'bool', default: false },
  create: { type: 'bool', default: false },
  backup: { type: 'bool', default: false },
  firstmatch: { type: 'bool', default: false },
  validate: { type: 'str' },
  ...fileAttrArgs,
} as const;

export default defineModule<typeof args, TextEditData>({
  name: 'lineinfile',
  args,
  check(a) {
    if (a.insertbefore !== undefined && a.insertafter !== undefined) return 'parameters are mutually exclusive: insertbefore|insertafter';
    if (a.regexp !== undefined && a.search_string !== undefined) return 'parameters are mutually exclusive: regexp|search_string';
    if (a.backrefs && a.search_string !== undefined) return 'parameters are mutually exclusive: backrefs|search_string';
    if (a.validate !== undefined && !a.validate.includes('%s')) return `validate must contain %s: ${a.validate}`;
    if (a.state === 'present') {
      if (a.backrefs && a.regexp === undefined) return 'regexp is required with backrefs=true';
      if (a.line === undefined) return 'line is required with state=present';
    } else if (a.regexp === undefined && a.search_string === undefined && a.line === undefined) {
      return 'one of line, search_string, or regexp is required with state=absent';
    }
    return undefined;
  },
  async plan(ctx, a) {
    if (a.regexp === '' || a.search_string === '') {
      ctx.log.warn(`The ${a.regexp === '' ? 'regular expression' : 'search string'} is an empty string, which will match every line in the file.`);
    }
    const { info, fail } = await probeText(ctx, a.path);
    if (fail) return fail;
    if (info === null) {
      if (a.state === 'absent') return { kind: 'ok', msg: 'file not present', result: { msg: 'file not present' } };
      if (!a.create) return { kind: 'fail', msg: `Destination ${a.path} does not exist !`, result: { rc: 257 } };
    }
    const lines = readLines((info?.content ?? Buffer.alloc(0)).toString('latin1'));
    const params = { ...a, insertafter: a.insertafter ?? (a.insertbefore === undefined ? 'EOF' : undefined) };
    let edit;
    try {
      edit = a.state === 'present' ? editPresent(lines, params) : editAbsent(lines, params);
    } catch (e) {
      if (e instanceof PyRegexError) return regexModuleFailure(e);
      return { kind: 'fail', msg: (e as Error).message };
    }
    const after = edit.changed ? Buffer.from(edit.lines.join(''), 'latin1') : undefined;
    const result = edit.found !== undefined ? { found: edit.found } : {};
    return planTextEdit(ctx, a, info, { ...(after ? { after } : {}), msg: edit.msg, result, backupKey: 'backup' });
  },
  apply: (ctx, _a, data) => applyTextEdit(ctx, data),
});
