/** template: render a controller template with the task's variables and put it on the host. */
import { KelpieError } from '../../errors.js';
import { ansibleUndefinedText, undefinedCause } from '../../template/index.js';
import { templateFileVars } from '../../template/templateFile.js';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { defineModule } from '../types.js';
import { fileAttrArgs } from '../_lib/fileattrs.js';
import { applyPutFile, planPutFile, resolveDest, type PutFileData } from '../_lib/putfile.js';

const args = {
  src: { type: 'path', required: true },
  dest: { type: 'path', required: true },
  backup: { type: 'bool', default: false },
  force: { type: 'bool', default: true },
  validate: { type: 'str' },
  follow: { type: 'bool', default: false },
  newline_sequence: { type: 'str', default: '\n', choices: ['\n', '\r', '\r\n'] },
  block_start_string: { type: 'str' },
  block_end_string: { type: 'str' },
  variable_start_string: { type: 'str' },
  variable_end_string: { type: 'str' },
  comment_start_string: { type: 'str' },
  comment_end_string: { type: 'str' },
  trim_blocks: { type: 'bool', default: true },
  lstrip_blocks: { type: 'bool', default: false },
  output_encoding: { type: 'str', default: 'utf-8' },
  ...fileAttrArgs,
} as const;

export default defineModule<typeof args, PutFileData>({
  name: 'template',
  args,
  check(a) {
    if (a.validate !== undefined && !a.validate.includes('%s')) return `validate must contain %s: ${a.validate}`;
    return undefined;
  },
  async plan(ctx, a) {
    let local: string;
    try {
      local = await ctx.findLocalFile('templates', a.src);
    } catch (e) {
      return { kind: 'fail', msg: (e as Error).message };
    }
    const source = await fs.readFile(local, 'utf8');
    const extra = templateFileVars({ src: a.src, fullpath: local, dest: a.dest });
    let text: string;
    try {
      text = await ctx.renderTemplate(source, extra, local, { trimBlocks: a.trim_blocks, lstripBlocks: a.lstrip_blocks });
    } catch (e) {
      const undef = undefinedCause(e);
      if (!undef) throw e;
      // Ansible's template action fails the task naming the exception's class
      const loc = e instanceof KelpieError ? e.loc : undefined;
      return { kind: 'fail', msg: new KelpieError('template', `AnsibleUndefinedVariable: ${ansibleUndefinedText(undef)}`, loc ? { loc } : {}).format() };
    }
    if (a.newline_sequence !== '\n') text = text.replace(/\r?\n/g, a.newline_sequence);
    const { path, info } = await resolveDest(ctx, a.dest, nodePath.basename(a.src));
    return planPutFile(ctx, { ...a, content: Buffer.from(text, 'utf8') }, path, info);
  },
  apply: (ctx, _a, data) => applyPutFile(ctx, data),
});
