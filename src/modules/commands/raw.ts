/**
 * raw: sends the text as it is to the host's shell (or `executable -c text`), with no
 * option parsing beyond `executable=` and no output stripping, like Ansible's raw.
 * Always reports changed; in check mode it is skipped.
 */
import { sh, shellRaw } from '../../shell/quote.js';
import { defineModule } from '../types.js';
import { runTimed } from './run.js';
import { extractInlineOptions } from './words.js';

const args = {
  _raw_params: { type: 'str', required: true, description: 'The text to run.' },
  executable: { type: 'path', description: 'Run the text as `executable -c text`.' },
} as const;

function resolveRaw(a: { _raw_params: string; executable?: string | undefined }): { text: string; executable?: string | undefined } {
  const { rest, options } = extractInlineOptions(a._raw_params, ['executable']);
  return { text: rest, executable: a.executable ?? options.executable };
}

export default defineModule({
  name: 'raw',
  args,
  freeForm: '_raw_params',
  freeFormKeys: ['executable'],
  // Ansible skips raw in check mode with nothing but the skip itself
  checkModeSkip: {},
  async plan() {
    return { kind: 'change' };
  },
  async apply(ctx, a) {
    const { text, executable } = resolveRaw(a);
    // The user wrote this as shell for the host: it is trusted shell text by definition.
    const cmd = executable === undefined ? shellRaw(text) : sh`exec ${executable} -c ${text}`;
    const r = await runTimed(ctx, cmd, text, { strip: false });
    // raw returns only rc/stdout/stderr (no cmd, no timing); the executor adds their *_lines.
    const { rc, stdout, stderr } = r.result ?? {};
    return { ...r, result: { rc, stdout, stderr } };
  },
});
