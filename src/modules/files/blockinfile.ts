/** blockinfile: insert, update or remove a marked block of lines, like Ansible. */
import { defineModule } from '../types.js';
import { fileAttrArgs } from '../_lib/fileattrs.js';
import { PyRegexError, regexModuleFailure } from '../_lib/pyregex.js';
import { applyTextEdit, planTextEdit, probeText, type TextEditData } from '../_lib/textedit.js';
import { editBlock } from './blockinfileEdit.js';

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
  block: { type: 'str', default: '', aliases: ['content'] },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  create: { type: 'bool', default: false },
  backup: { type: 'bool', default: false },
  validate: { type: 'str' },
  marker_begin: { type: 'str', default: 'BEGIN' },
  marker_end: { type: 'str', default: 'END' },
  append_newline: { type: 'bool', default: false },
  prepend_newline: { type: 'bool', default: false },
  ...fileAttrArgs,
} as const;

export default defineModule<typeof args, TextEditData>({
  name: 'blockinfile',
  args,
  check(a) {
    if (a.insertbefore !== undefined && a.insertafter !== undefined) return 'parameters are mutually exclusive: insertbefore|insertafter';
    if (a.validate !== undefined && !a.validate.includes('%s')) return `validate must contain %s: ${a.validate}`;
    return undefined;
  },
  async plan(ctx, a) {
    const { info, fail } = await probeText(ctx, a.path);
    if (fail) return fail;
    const present = a.state === 'present';
    if (info === null) {
      if (!a.create) return { kind: 'fail', msg: `Path ${a.path} does not exist !`, result: { rc: 257 } };
      if (!present) return { kind: 'ok', msg: `File ${a.path} not present`, result: { msg: `File ${a.path} not present` } };
    }
    const original = info?.content ? info.content.toString('latin1') : null;
    let after: string;
    try {
      after = editBlock(original, { ...a, present });
    } catch (e) {
      if (e instanceof PyRegexError) return regexModuleFailure(e);
      return { kind: 'fail', msg: (e as Error).message };
    }
    // Like Ansible, a file that did not exist always counts as created, even when empty.
    const changed = original === null || after !== original;
    const msg = !changed ? '' : original === null ? 'File created' : present && a.block ? 'Block inserted' : 'Block removed';
    const edit = { msg, backupKey: 'backup_file' as const, ...(changed ? { after: Buffer.from(after, 'latin1') } : {}) };
    return planTextEdit(ctx, a, info, edit);
  },
  apply: (ctx, _a, data) => applyTextEdit(ctx, data),
});
